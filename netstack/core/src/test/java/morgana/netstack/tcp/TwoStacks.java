package morgana.netstack.tcp;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.Device;
import morgana.netstack.phy.FaultInjector;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/** A client stack (link end a) and a server stack (link end b) on 10.0.0.0/24, with a simulator. */
final class TwoStacks {

    static final Ipv4Address CLIENT_IP = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address SERVER_IP = Ipv4Address.parse("10.0.0.2");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkPair link = new LinkPair();
    final NetworkStack client;
    final NetworkStack server;
    final Simulator sim = new Simulator(T0);

    TwoStacks() {
        this(TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)));
    }

    TwoStacks(TcpConfig tcp) {
        this(tcp, Duration.ZERO);
    }

    /** With the server's link end seen through {@code serverDevice} (offloads a test device pretends to have). */
    TwoStacks(TcpConfig tcp, Function<LinkPair.End, Device> serverDevice) {
        client = clientStack(tcp);
        server = serverStack(tcp);
        sim.attach(client, link.a()).attach(server, link.b(), serverDevice.apply(link.b()));
    }

    /** With {@code oneWayDelay} on the link each way. */
    TwoStacks(TcpConfig tcp, Duration oneWayDelay) {
        client = clientStack(tcp);
        server = serverStack(tcp);
        if (oneWayDelay.isZero()) {
            sim.attach(client, link.a()).attach(server, link.b());
        } else {
            sim.attach(client, link.a(), new FaultInjector(link.a(), 1, sim::now).delay(oneWayDelay, Duration.ZERO))
                    .attach(server, link.b(), new FaultInjector(link.b(), 2, sim::now).delay(oneWayDelay, Duration.ZERO));
        }
    }

    /** The client stack alone, 10.0.0.1, for a test that wires its own link. */
    static NetworkStack clientStack(TcpConfig tcp) {
        return new NetworkStack(StackConfig.of(MacAddress.parse("52:54:00:00:00:01"), new Ipv4Cidr(CLIENT_IP, 24), null),
                tcp.withIsnSecret(1));
    }

    /** The server stack alone, 10.0.0.2. */
    static NetworkStack serverStack(TcpConfig tcp) {
        return new NetworkStack(StackConfig.of(MacAddress.parse("52:54:00:00:00:02"), new Ipv4Cidr(SERVER_IP, 24), null),
                tcp.withIsnSecret(2));
    }

    boolean run(BooleanSupplier done) {
        return sim.runUntil(done, Duration.ofMinutes(10));
    }

    /** Connects a client connection to a listener on the server and returns both ends, established. */
    TcpConnection[] connected(TcpListener listener) {
        TcpConnection c = client.connect(SERVER_IP, listener.port());
        TcpConnection[] accepted = new TcpConnection[1];
        boolean ok = run(() -> (accepted[0] != null || (accepted[0] = listener.accept()) != null)
                && c.state() == TcpState.ESTABLISHED);
        if (!ok) {
            throw new AssertionError("no connection: client " + c.state() + ", " + client.stats() + " / " + server.stats());
        }
        return new TcpConnection[] {c, accepted[0]};
    }
}
