package morgana.e2e.hostile;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import morgana.blog.server.BlogServerInitializer;
import morgana.blog.server.HttpServerConfig;
import morgana.blog.site.SiteBuilder;
import morgana.kernel.device.TapDevice;
import morgana.kernel.loop.StackRunner;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.iface.StackStats;
import morgana.netstack.phy.PcapWriter;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * What {@code scripts/fuzz-live} attacks: Morgana's stack on a TAP (run in a child JVM inside the script's
 * namespace), serving the blog on HTTP port 80 and a TCP echo (the seed's target) on port 7, with every frame
 * captured by {@link PcapWriter} (128 bytes of each: headers and options, not payloads).
 *
 * <p>Arguments: site directory, TAP name, the stack's address with prefix, its gateway, the pcap path, seconds
 * to run at most, the idle timeout in milliseconds (HTTP and echo), HTTP connections allowed in all and per
 * client address, milliseconds between stats lines. Prints {@code serving <ip> on <tap>} once up, then a
 * {@code stats seq=N loop=ok|hung heapMiB=... key=value...} line per interval (the heap measured after a full
 * collection, so a leak shows as growth, not as garbage), {@code internal-error ...} with the stack trace of
 * the first {@link DropReason#INTERNAL_ERROR}, and {@code stopped} at the end.
 */
public final class HostileTrafficTarget {

    static final MacAddress MAC = MacAddress.parse("02:00:00:77:00:02");
    static final int HTTP_PORT = 80;
    static final int ECHO_PORT = 7;
    private static final int SNAP_LENGTH = 128;
    private static final Duration LOOP_ANSWER = Duration.ofSeconds(3);

    public static void main(String[] args) throws Exception {
        Path site = Path.of(args[0]);
        String tapName = args[1];
        Ipv4Cidr address = Ipv4Cidr.parse(args[2]);
        Ipv4Address gateway = Ipv4Address.parse(args[3]);
        Path pcap = Path.of(args[4]);
        long until = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
        Duration idleTimeout = Duration.ofMillis(Long.parseLong(args[6]));
        int maxConnections = Integer.parseInt(args[7]);
        int perAddress = Integer.parseInt(args[8]);
        long statsMillis = Long.parseLong(args[9]);

        HttpServerConfig http = HttpServerConfig.defaults().withIdleTimeout(idleTimeout)
                .withConnectionLimits(maxConnections, perAddress)
                .withAccessLog(line -> { }, 1, 1); // thousands of requests: the log would drown the stats
        BlogServerInitializer blog = new BlogServerInitializer(SiteBuilder.build(site), http);
        Map<Integer, ChannelInitializer<Channel>> services = new HashMap<>();
        services.put(HTTP_PORT, blog);
        services.put(ECHO_PORT, new TcpEcho(idleTimeout));
        StackConfig config = new StackConfig(MAC, address, Optional.of(gateway), 1500);

        try (TapDevice tap = TapDevice.open(tapName);
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(pcap), 1 << 16)) {
            PcapWriter capture = new PcapWriter(tap, file, Instant::now, SNAP_LENGTH);
            try (StackRunner runner = StackRunner.start(capture, config, List.of(HTTP_PORT, ECHO_PORT),
                    new ServicesByPort(services), Clock.systemUTC())) {
                System.out.println("serving " + address.address() + " on " + tapName);
                boolean reported = false;
                for (long seq = 1; System.nanoTime() < until && !runner.isTerminated(); seq++) {
                    Thread.sleep(statsMillis);
                    Optional<String> counters = runner.onLoop(() -> {
                        capture.flush();
                        return counters(runner.stack(), capture);
                    }, LOOP_ANSWER);
                    System.out.println("stats seq=" + seq + " loop=" + (counters.isPresent() ? "ok" : "hung")
                            + " heapMiB=" + liveHeapMiB() + " " + counters.orElse("") + " http=" + blog.stats());
                    if (!reported) {
                        Optional<RuntimeException> error = runner.onLoop(() -> runner.stack().lastInternalError()
                                .orElse(null), LOOP_ANSWER);
                        if (error.isPresent()) {
                            reported = true;
                            System.out.println("internal-error " + error.get());
                            error.get().printStackTrace(System.out);
                        }
                    }
                }
                runner.onLoop(() -> {
                    capture.flush();
                    return true;
                }, LOOP_ANSWER);
            }
        }
        System.out.println("stopped");
    }

    /** The stack's counters as {@code key=value} words; runs on the loop. */
    private static String counters(NetworkStack stack, PcapWriter capture) {
        StackStats s = stack.stats();
        String drops = s.dropsByReason().entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        return "framesIn=" + s.framesReceived() + " framesOut=" + s.framesSent()
                + " tcpIn=" + s.tcpSegmentsReceived() + " tcpOut=" + s.tcpSegmentsSent()
                + " resetsSent=" + s.tcpResetsSent() + " echoReplies=" + s.echoRepliesSent()
                + " fragmentsIn=" + s.ipv4FragmentsReceived() + " reassembled=" + s.ipv4DatagramsReassembled()
                + " tcpConnections=" + stack.tcpConnectionCount() + " reassemblies=" + stack.reassembliesInProgress()
                + " arpCache=" + stack.arpCache().size() + " internalErrors=" + s.drops(DropReason.INTERNAL_ERROR)
                + " pcapFrames=" + capture.packetsWritten() + " drops=" + (drops.isEmpty() ? "-" : drops);
    }

    /** Heap in use after a full collection, in MiB with one decimal. */
    private static String liveHeapMiB() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return String.format("%.1f", used / (1024.0 * 1024.0));
    }
}
