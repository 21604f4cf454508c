package morgana.e2e.netstack;

import static morgana.e2e.netstack.ChildJvm.awaitOutput;
import static morgana.e2e.netstack.ChildJvm.javaCommand;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import morgana.e2e.ChildProcess;
import morgana.e2e.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Morgana's TCP against the Linux kernel's, over a TAP device in a network namespace the test creates: 100 MB
 * each way, byte-exact, in both roles (our server with a kernel client, our client with a kernel server), each
 * side half-closing while the other still sends. Our capture ({@code PcapWriter}, 128 bytes a frame), read with
 * tshark, shows the options both SYNs carried and our FIN on both close paths (passive close from CLOSE_WAIT,
 * active half-close from ESTABLISHED).
 */
class TcpAgainstLinuxTest {

    private static final String TAP = "mtap8";
    private static final String HOST_SIDE = "10.96.0.1/24";
    private static final String HOST_IP = "10.96.0.1";
    private static final String STACK_IP = "10.96.0.2";
    private static final long BYTES = 100L * 1024 * 1024;
    private static final String EXACT = "received " + BYTES + " mismatches 0";

    @Test
    void ourServerAndALinuxClientExchange100MegabytesEachWayWithHalfClose(@TempDir Path tmp) throws Exception {
        Path pcap = tmp.resolve("server.pcap");
        try (NetworkNamespace ns = NetworkNamespace.create("morgana-tcp")) {
            tap(ns);
            try (ChildProcess stack = startStack(ns, tmp, pcap, "server", "5001", Long.toString(BYTES))) {
                awaitOutput(stack, "ready", Duration.ofSeconds(30));
                String client = ns.exec(Duration.ofSeconds(400), javaCommand(KernelTcpPeer.class, "client", STACK_IP,
                        "5001", Long.toString(BYTES)));
                assertThat(client).as(stack.report()).contains(EXACT);
                awaitOutput(stack, "stats", Duration.ofSeconds(60));
                assertThat(stack.output()).contains(EXACT).contains("closed CLOSED");
            }
        }
        assertNegotiatedAndOurFinSent(pcap, "server");
    }

    @Test
    void ourClientAndALinuxServerExchange100MegabytesEachWayWithHalfClose(@TempDir Path tmp) throws Exception {
        Path pcap = tmp.resolve("client.pcap");
        try (NetworkNamespace ns = NetworkNamespace.create("morgana-tcp")) {
            tap(ns);
            try (ChildProcess server = ChildProcess.start("linux server", ns.inside(List.of(javaCommand(
                    KernelTcpPeer.class, "server", "5002", Long.toString(BYTES)))), tmp, tmp.resolve("kernel.log"))) {
                awaitOutput(server, "listening", Duration.ofSeconds(30));
                try (ChildProcess stack = startStack(ns, tmp, pcap, "client", HOST_IP, "5002", Long.toString(BYTES))) {
                    awaitOutput(stack, "stats", Duration.ofSeconds(400));
                    assertThat(stack.output()).contains(EXACT).contains("sent " + BYTES).contains("closed TIME_WAIT");
                    awaitOutput(server, EXACT, Duration.ofSeconds(10));
                }
            }
        }
        assertNegotiatedAndOurFinSent(pcap, "client");
    }

    /** tshark reads our capture: both SYNs carry MSS, window scale, SACK-permitted and timestamps; we sent a FIN. */
    private static void assertNegotiatedAndOurFinSent(Path pcap, String role) throws Exception {
        keepCapture(pcap);
        String syns = ChildProcess.run(Duration.ofSeconds(120), "tshark", "-n", "-r", pcap.toString(), "-Y",
                "tcp.flags.syn == 1", "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "tcp.flags.ack",
                "-e", "tcp.options.mss_val", "-e", "tcp.options.wscale.shift", "-e", "tcp.options.sack_perm",
                "-e", "tcp.options.timestamp.tsval");
        System.out.println("SYNs seen by tshark (" + role + "; src,ack,mss,wscale,sack_perm,tsval):\n" + syns);
        List<String> lines = packets(syns);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(STACK_IP + ","))
                .anySatisfy(l -> assertThat(l).startsWith(HOST_IP + ","))
                .allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(6)
                        .satisfies(f -> assertThat(f[2]).isNotEmpty())
                        .satisfies(f -> assertThat(f[3]).isNotEmpty())
                        .satisfies(f -> assertThat(f[4]).isNotEmpty())
                        .satisfies(f -> assertThat(f[5]).isNotEmpty()));
        String fins = ChildProcess.run(Duration.ofSeconds(120), "tshark", "-n", "-r", pcap.toString(), "-Y",
                "tcp.flags.fin == 1", "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "tcp.flags.str");
        System.out.println("FINs seen by tshark (" + role + "):\n" + fins);
        assertThat(packets(fins)).anySatisfy(l -> assertThat(l).startsWith(STACK_IP + ","))
                .anySatisfy(l -> assertThat(l).startsWith(HOST_IP + ","));
        String sack = ChildProcess.run(Duration.ofSeconds(120), "tshark", "-n", "-r", pcap.toString(), "-Y",
                "tcp.options.sack_le", "-T", "fields", "-e", "ip.src");
        System.out.println("segments with SACK blocks (" + role + "): " + packets(sack).size());
        // The TAP takes a virtio-net header: we hand the kernel segments of many MSS to cut (TSO), and it hands
        // us the ones it merged (GRO). Our capture records both whole, as they crossed the TAP.
        // tcpdump reads a long capture much faster than tshark; "greater" compares the frame's length.
        String large = ChildProcess.run(Duration.ofSeconds(120), "tcpdump", "-n", "-q", "-r", pcap.toString(), "greater", "1515");
        List<String> largeFrames = large.lines().filter(l -> l.contains(" IP ")).map(l -> l.substring(l.indexOf(" IP ") + 4)).toList();
        System.out.println("frames over 1514 bytes (" + role + "): from us "
                + largeFrames.stream().filter(l -> l.startsWith(STACK_IP + ".")).count() + ", to us "
                + largeFrames.stream().filter(l -> l.startsWith(HOST_IP + ".")).count());
        assertThat(largeFrames).as("segmentation offload towards Linux").anySatisfy(l -> assertThat(l).startsWith(STACK_IP + "."));
        assertThat(largeFrames).as("merged segments from Linux").anySatisfy(l -> assertThat(l).startsWith(HOST_IP + "."));
    }

    /** With {@code -Dmorgana.e2e.pcapDir=DIR}, the capture is copied there to read it after the test. */
    private static void keepCapture(Path pcap) throws IOException {
        String dir = System.getProperty("morgana.e2e.pcapDir");
        if (dir != null) {
            Path target = Path.of(dir);
            Files.createDirectories(target);
            Files.copy(pcap, target.resolve(pcap.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** tshark's field lines, without its warning about running as root. */
    private static List<String> packets(String tsharkOutput) {
        return tsharkOutput.lines().filter(l -> !l.isEmpty() && Character.isDigit(l.charAt(0))).toList();
    }

    private static void tap(NetworkNamespace ns) throws Exception {
        ns.ip("tuntap", "add", "dev", TAP, "mode", "tap");
        ns.ip("addr", "add", HOST_SIDE, "dev", TAP);
        ns.ip("link", "set", TAP, "up");
    }

    private static ChildProcess startStack(NetworkNamespace ns, Path tmp, Path pcap, String... mode) throws Exception {
        List<String> args = new ArrayList<>(List.of(TAP, STACK_IP + "/24", pcap.toString(), "400"));
        args.addAll(List.of(mode));
        return ChildProcess.start("stack on " + TAP, ns.inside(List.of(javaCommand(StackTcpPeer.class,
                args.toArray(String[]::new)))), tmp, tmp.resolve("stack-" + mode[0] + ".log"));
    }
}
