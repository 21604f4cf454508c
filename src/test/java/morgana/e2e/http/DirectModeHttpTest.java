package morgana.e2e.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.e2e.ChildProcess;
import morgana.e2e.ExampleBlog;
import morgana.e2e.NetworkNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blog on Morgana's own TCP/IP stack over a TAP in a throwaway namespace: the nasty-request corpus and
 * curl from inside the namespace, and a packet capture proving that the server says goodbye (a FIN) to
 * every keep-alive connection left idle: the seed's "Minnesota goodbye" check.
 */
class DirectModeHttpTest {

    private static final String TAP = "mtaph0";
    private static final String HOST_SIDE = "10.99.7.1/24";
    private static final String GUEST = "10.99.7.2";
    private static final long IDLE_TIMEOUT_MS = 3_000;
    private static final int IDLE_CONNECTIONS = 5;
    private static final int PER_ADDRESS_LIMIT = 8;
    private static final long HEADER_READ_TIMEOUT_MS = 2_000;

    @TempDir
    static Path tmp;
    private static NetworkNamespace ns;
    private static ChildProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        ns = NetworkNamespace.create("morgana-http");
        ns.ip("tuntap", "add", "dev", TAP, "mode", "tap");
        ns.ip("addr", "add", HOST_SIDE, "dev", TAP);
        ns.ip("link", "set", TAP, "up");
        server = ChildProcess.start("direct blog server", ns.inside(java(DirectBlogServer.class,
                ExampleBlog.site().toString(), TAP, GUEST + "/24", "80", String.valueOf(IDLE_TIMEOUT_MS), "400", String.valueOf(PER_ADDRESS_LIMIT), String.valueOf(HEADER_READ_TIMEOUT_MS))),
                tmp, tmp.resolve("server.log"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "";
        while (true) {
            try {
                ns.exec(Duration.ofSeconds(15), "curl", "-sS", "--fail", "-m", "5", "-o", "/dev/null", "http://" + GUEST + "/");
                return;
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
                if (Instant.now().isAfter(deadline) || !server.isAlive()) {
                    throw new AssertionError("the direct-mode server never answered (last: " + last + ")\n" + server.report());
                }
                Thread.sleep(500);
            }
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void everyNastyRequestGetsItsStatusAndTheConnectionEndsAsItShould() throws Exception {
        String directory = ExampleBlog.publishedPosts().getFirst().path().replaceFirst("/$", "");
        String report = ns.exec(Duration.ofMinutes(4), java(CorpusClient.class, GUEST, "80", directory).toArray(String[]::new));
        System.out.println("direct mode corpus:\n" + report);
        assertThat(report).as(report + "\n" + server.report()).doesNotContain(" FAIL ");
        assertThat(report).contains("DONE " + NastyRequest.corpus(directory).size() + "/" + NastyRequest.corpus(directory).size());
        assertThat(server.output()).as("leak detection is paranoid in the server").doesNotContain("LEAK:");
    }

    @Test
    void curlSpeaksHttp10And11RangesZstdAndGzip() throws Exception {
        CurlChecks.check(command -> ns.exec(Duration.ofSeconds(20), command), "http://" + GUEST);
    }

    @Test
    void everyIdleKeepAliveConnectionGetsTheServersFin() throws Exception {
        Path pcap = tmp.resolve("idle.pcap");
        String finFilter = "src host " + GUEST + " and tcp[13] & 1 != 0";
        String clients;
        String fins;
        // --immediate-mode: without it the capture hands packets over in blocks, and stopping it can lose the last.
        try (ChildProcess tcpdump = ChildProcess.start("tcpdump", ns.inside(List.of("tcpdump", "-i", TAP, "-n", "-U",
                "--immediate-mode", "-w", pcap.toString(), "tcp port 80")), tmp, tmp.resolve("tcpdump.log"))) {
            awaitOutput(tcpdump, "listening on");
            clients = ns.exec(Duration.ofSeconds(60), java(IdleClients.class, GUEST, "80",
                    String.valueOf(IDLE_CONNECTIONS), "20").toArray(String[]::new));
            // Read the capture while it runs (-U writes each packet) until every FIN is in, 5 s at most.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            do {
                Thread.sleep(200);
                fins = ChildProcess.run(Duration.ofSeconds(20), "tcpdump", "-r", pcap.toString(), "-n", finFilter);
            } while (serverPorts(fins).size() < IDLE_CONNECTIONS && Instant.now().isBefore(deadline));
        }
        System.out.println(clients);
        Set<String> clientPorts = new TreeSet<>();
        Matcher closed = Pattern.compile("idle \\d+ port (\\d+) closed after (\\d+) ms").matcher(clients);
        while (closed.find()) {
            clientPorts.add(closed.group(1));
            long after = Long.parseLong(closed.group(2));
            assertThat(after).as("closed by the idle timeout, not before, not much later").isBetween(IDLE_TIMEOUT_MS - 500, IDLE_TIMEOUT_MS + 4_000);
        }
        assertThat(clientPorts).as(clients).hasSize(IDLE_CONNECTIONS);

        System.out.println("server FINs (" + finFilter + "):\n" + fins);
        String all = ChildProcess.run(Duration.ofSeconds(20), "tcpdump", "-r", pcap.toString(), "-n");
        assertThat(serverPorts(fins)).as("a FIN from the server on every idle connection:\n%s\nall packets:\n%s", fins, all)
                .isEqualTo(clientPorts);
        Instant statsDeadline = Instant.now().plus(Duration.ofSeconds(3));
        while (idleClosed(server.output()) < IDLE_CONNECTIONS && Instant.now().isBefore(statsDeadline)) {
            Thread.sleep(200);
        }
        assertThat(idleClosed(server.output())).as("HttpStats counts them").isGreaterThanOrEqualTo(IDLE_CONNECTIONS);
    }

    /** The last {@code idleClosed} count the server printed. */
    private static long idleClosed(String output) {
        Matcher count = Pattern.compile("idleClosed=(\\d+)").matcher(output);
        long last = 0;
        while (count.find()) {
            last = Long.parseLong(count.group(1));
        }
        return last;
    }

    /** The client ports of the packets in tcpdump's text output that the server sent. */
    private static Set<String> serverPorts(String tcpdumpText) {
        Set<String> ports = new TreeSet<>();
        Matcher packet = Pattern.compile(Pattern.quote(GUEST) + "\\.80 > [\\d.]+\\.(\\d+):").matcher(tcpdumpText);
        while (packet.find()) {
            ports.add(packet.group(1));
        }
        return ports;
    }

    @Test
    void aConnectionOverThePerAddressLimitIsClosedAtOnce() throws Exception {
        String report = ns.exec(Duration.ofSeconds(60), java(ConnectionLimitClient.class, GUEST, "80",
                String.valueOf(PER_ADDRESS_LIMIT)).toArray(String[]::new));
        System.out.println(report);
        assertThat(report).contains("extra connection: closed without a byte")
                .contains("after one closed: HTTP/1.1 200 OK");
    }

    @Test
    void aRequestHeadTrickledByteByByteIsCutOffByTheHeaderReadTimeout() throws Exception {
        String report = ns.exec(Duration.ofSeconds(60), java(SlowlorisClient.class, GUEST, "80", "300", "15").toArray(String[]::new));
        System.out.println(report);
        Matcher closed = Pattern.compile("closed after (\\d+) ms").matcher(report);
        assertThat(closed.find()).as(report).isTrue();
        assertThat(Long.parseLong(closed.group(1))).as("the idle timeout (%d ms) never fires: bytes keep coming", IDLE_TIMEOUT_MS)
                .isBetween(HEADER_READ_TIMEOUT_MS - 200, HEADER_READ_TIMEOUT_MS + 1_500);
    }

    private static void awaitOutput(ChildProcess process, String text) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!process.output().contains(text)) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                throw new AssertionError("no \"" + text + "\" from " + process.report());
            }
            Thread.sleep(100);
        }
    }

    private static List<String> java(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dio.netty.leakDetection.level=paranoid",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
