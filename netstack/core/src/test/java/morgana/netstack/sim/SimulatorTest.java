package morgana.netstack.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkPair link = new LinkPair();
    final NetworkStack a = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:00:00:01"),
            Ipv4Cidr.parse("10.1.0.1/24"), null));
    final NetworkStack b = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:00:00:02"),
            Ipv4Cidr.parse("10.1.0.2/24"), null));
    final Simulator sim = new Simulator(T0).attach(a, link.a()).attach(b, link.b());

    @Test
    void jumpsTheClockToTheNextDeadline() {
        link.b().setDropFilter(f -> true); // b never answers the ARP requests
        TcpConnection c = a.connect(Ipv4Address.parse("10.1.0.2"), 80);

        boolean closed = sim.runUntil(c::isClosed, Duration.ofMinutes(30));

        assertThat(closed).isTrue();
        assertThat(sim.now()).isAfter(T0.plusSeconds(60)); // many backed-off SYN retransmissions later
    }

    @Test
    void stopsAtTheLimitWhenTheConditionNeverHolds() {
        a.connect(Ipv4Address.parse("10.1.0.2"), 80);
        link.b().setDropFilter(f -> true);

        assertThat(sim.runUntil(() -> false, Duration.ofSeconds(3))).isFalse();
        assertThat(sim.now()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void reportsIdleWhenNothingIsPending() {
        assertThat(sim.runUntilIdle(Duration.ofSeconds(1))).isTrue();
        assertThat(sim.now()).isEqualTo(T0);
    }
}
