package morgana.netstack.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.UdpRepr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packets per second of the IP layer alone: a frame goes in through {@link NetworkStack#poll} and is parsed
 * and dispatched (Ethernet, IPv4, then ICMP or UDP). A 64-byte ICMP echo request is answered (the reply is
 * built and handed to the device); a 1500-byte UDP datagram is queued to a bound socket, which the
 * benchmark then empties as an application would. One invocation is a poll over {@value #BATCH} frames.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IpLayerBenchmark {

    static final int BATCH = 100;
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:00:02");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final Ipv4Address IP = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.1");
    static final int UDP_PORT = 7;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    NetworkStack stack;
    ReplayDevice echo;
    ReplayDevice udp;
    UdpSocket socket;

    @Setup(Level.Trial)
    public void setUp() {
        stack = new NetworkStack(StackConfig.of(MAC, new Ipv4Cidr(IP, 24), null));
        stack.arpCache().learn(PEER, PEER_MAC, NOW); // replies go out without an ARP round trip
        socket = stack.bindUdp(UDP_PORT, BATCH);
        // 14 (Ethernet) + 20 (IPv4) + 8 (ICMP) + 22 bytes of data = 64 bytes.
        echo = new ReplayDevice(TestFrames.icmp(PEER_MAC, MAC, PEER, IP, new Icmpv4Repr.EchoRequest(1, 1, new byte[22])));
        // A full 1500-byte IP datagram: 20 (IPv4) + 8 (UDP) + 1472 bytes of data.
        udp = new ReplayDevice(TestFrames.udp(PEER_MAC, MAC, PEER, IP, new UdpRepr(5000, UDP_PORT, new byte[1472])));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long icmpEcho64() {
        echo.replay(BATCH);
        stack.poll(NOW, echo);
        return echo.sent();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int udp1500() {
        udp.replay(BATCH);
        stack.poll(NOW, udp);
        int taken = 0;
        while (socket.receive() != null) {
            taken++;
        }
        return taken;
    }

    /** A benchmark that drops what it measures measures the wrong thing. */
    @TearDown(Level.Trial)
    public void checkNothingWasDropped() {
        if (stack.stats().totalDrops() != 0) {
            throw new IllegalStateException("the stack dropped benchmark frames: " + stack.stats());
        }
    }
}
