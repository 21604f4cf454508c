package morgana.e2e.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.e2e.ChildProcess;
import morgana.e2e.ExampleBlog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/fuzz-live --quick} as CI runs it (about a minute and a half): scapy's hostile conversations,
 * then a SYN flood, idle connections, a fragment flood and an ARP storm at small scale, against the stack on a
 * TAP in the script's own namespace. The script checks its post-conditions itself (its exit status); these
 * tests read its summary back and say which one failed.
 */
class FuzzLiveTest {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(6);
    /** The categories the quick run always sends, and the drop counter each must raise. */
    private static final List<String> MALFORMED_CATEGORIES = List.of("TCP_BAD_OPTION_LENGTH", "TCP_BAD_SACK_OPTION",
            "TCP_BAD_DATA_OFFSET", "TCP_BAD_CHECKSUM", "TCP_OUT_OF_WINDOW", "IPV4_FRAGMENT_OVERLAP",
            "IPV4_FRAGMENT_TOO_LONG", "IPV4_REASSEMBLY_FULL");

    @TempDir
    static Path out;
    private static int exitStatus;
    private static String output;
    private static Map<String, String> summary;

    @BeforeAll
    static void runTheScript() throws Exception {
        Path log = out.resolve("fuzz-live.log");
        ProcessBuilder builder = new ProcessBuilder(ExampleBlog.root().resolve("scripts/fuzz-live").toString(),
                "--quick", "--out", out.resolve("results").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // The target and IdleClients are classes of these tests: the script runs them from this class path.
        builder.environment().put("MORGANA_FUZZ_CLASSPATH", System.getProperty("java.class.path"));
        Process script = builder.start();
        if (!script.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            script.destroy(); // its trap stops the target and deletes the namespace
            script.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("scripts/fuzz-live --quick ran over " + SCRIPT_TIMEOUT + ":\n" + Files.readString(log));
        }
        exitStatus = script.exitValue();
        output = Files.readString(log);
        System.out.println(output);
        summary = summary(out.resolve("results/summary.txt"));
    }

    private static Map<String, String> summary(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return values;
    }

    private static long number(String key) {
        assertThat(summary).as("summary key %s\n%s", key, output).containsKey(key);
        return (long) Double.parseDouble(summary.get(key));
    }

    @Test
    void everyPostConditionHolds() {
        assertThat(exitStatus).as(output).isZero();
        assertThat(summary).as(output).containsEntry("result", "PASS").containsEntry("failures", "0");
    }

    @Test
    void theStackNeverCrashedHungOrAnsweredWrong() {
        assertThat(number("crashes")).as(output).isZero();
        assertThat(number("hangs")).as(output).isZero();
        assertThat(summary).as(output).doesNotContainKeys("wrong_answers", "memory_failures",
                "liveness.ping_failed", "liveness.echo_failed", "liveness.http_failed");
        assertThat(summary).as(output).containsEntry("final.internalErrors", "0");
        long checks = number("batches") + 5; // before, after each batch, after each of the four floods
        assertThat(number("liveness.ping_ok")).isEqualTo(checks);
        assertThat(number("liveness.echo_ok")).isEqualTo(checks);
        assertThat(number("liveness.http_ok")).isEqualTo(checks);
    }

    @Test
    void sentThousandsOfHostileSegmentsInCompletedHandshakes() {
        assertThat(number("segments_sent")).isGreaterThan(3_000);
        assertThat(number("handshakes_completed")).isGreaterThan(100);
        assertThat(number("probe_echoed")).as("conversations whose echo probe came back").isGreaterThan(100);
    }

    @Test
    void everyMalformedCategorySentRaisedItsDropCounter() {
        for (String reason : MALFORMED_CATEGORIES) {
            assertThat(number("drop." + reason)).as(reason + "\n" + output).isPositive();
        }
        summary.keySet().stream().filter(k -> k.startsWith("expected_drop.")).forEach(k ->
                assertThat(number("drop." + k.substring("expected_drop.".length()))).as(k).isPositive());
    }

    @Test
    void realClientsGetTheirPagesThroughTheSynFlood() {
        assertThat(number("syn_flood.gets")).isGreaterThanOrEqualTo(50);
        assertThat(Double.parseDouble(summary.get("syn_flood.get_success"))).as(output).isGreaterThanOrEqualTo(0.99);
        assertThat(number("drop.TCP_BACKLOG_FULL")).as("the flood filled the backlog: SYN cookies answered").isPositive();
    }

    @Test
    void theIdleTimeoutReapsEveryIdleConnection() {
        assertThat(number("idle_flood.closed")).isEqualTo(number("idle_flood.count"));
        assertThat(number("idle_flood.maxMs")).isLessThan(10_000);
    }

    @Test
    void reassemblyAndTheArpCacheStayWithinTheirLimitsAndTheHeapBounded() {
        assertThat(number("frag_flood.peak_reassemblies")).isLessThanOrEqualTo(16);
        assertThat(number("arp_flood.peak_arpCache")).isLessThanOrEqualTo(256);
        assertThat(number("arp_storm.pings_ok")).isPositive();
        assertThat(number("heap_max_mib")).as("heap after a full GC, MiB").isLessThan(128);
    }

    @Test
    void thePcapIsReadByTsharkAndTcpdump() throws Exception {
        Path pcap = out.resolve("results/stack.pcap");
        // the protocol hierarchy: a few lines, where a packet list would fill ChildProcess.run's pipe
        String hierarchy = ChildProcess.run(Duration.ofMinutes(2), "tshark", "-r", pcap.toString(), "-q", "-z", "io,phs");
        Matcher tcp = Pattern.compile("(?m)^\\s+tcp\\s+frames:(\\d+)").matcher(hierarchy);
        assertThat(tcp.find()).as(hierarchy).isTrue();
        assertThat(Long.parseLong(tcp.group(1))).as("TCP frames tshark reads").isGreaterThan(10_000);
        assertThat(number("pcap_packets_tshark")).isGreaterThan(10_000);
        assertThat(number("pcap_packets_tcpdump")).isGreaterThan(10_000);
    }
}
