package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.e2e.ChildProcess;
import morgana.e2e.ExampleBlog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks' short runs, as CI does them: each prints its table, with numbers where numbers belong. */
class QuickBenchTest {

    @Test
    void benchImageQuickPrintsTheQemuImagesSizes(@TempDir Path tmp) throws Exception {
        String out = bench(tmp, Duration.ofSeconds(120), "image", "--quick");

        Matcher row = Pattern.compile("(?m)^qemu +(\\d+) +(\\d+) +(\\d+) [0-9a-f]{64}$").matcher(out);
        assertThat(row.find()).as(out).isTrue();
        assertThat(Long.parseLong(row.group(1)) + Long.parseLong(row.group(2))).isEqualTo(Long.parseLong(row.group(3)));
    }

    @Test
    void benchBootQuickTimesTheFloorAndTheBlog(@TempDir Path tmp) throws Exception {
        String out = bench(tmp, Duration.ofSeconds(150), "boot", "--quick");

        Matcher floor = Pattern.compile("(?m)^floor +(\\d+\\.\\d+)$").matcher(out);
        Matcher qemu = Pattern.compile("(?m)^qemu +(\\d+\\.\\d+) +(\\d+\\.\\d+) +(\\d+\\.\\d+) +(\\d+\\.\\d+)$").matcher(out);
        assertThat(floor.find()).as(out).isTrue();
        assertThat(qemu.find()).as(out).isTrue();
        double blog = Double.parseDouble(qemu.group(1));
        assertThat(blog).as("the blog boots slower than an init that only prints").isGreaterThan(Double.parseDouble(floor.group(1)));
        assertThat(Double.parseDouble(qemu.group(2))).as("the guest's first line comes before the first 200").isLessThan(blog);
    }

    @Test
    void benchNetQuickRunsEveryNetworkBenchmarkBesideItsAnchor(@TempDir Path tmp) throws Exception {
        String out = bench(tmp, Duration.ofSeconds(400), "net", "--quick");

        for (String server : List.of("Morgana direct, TAP", "nginx 1 worker, veth", "nginx 2 workers, veth",
                "Morgana socket, loopback", "nginx 1 worker, loopback")) {
            Matcher rps = Pattern.compile("(?m)^\\|[^|]*\\| " + Pattern.quote(server) + " \\| (\\d+) req/s \\|").matcher(out);
            assertThat(rps.find()).as("a requests/s figure for %s in\n%s", server, out).isTrue();
            assertThat(rps.find()).as("http-small and http-post for %s", server).isTrue();
        }
        Matcher bulk = Pattern.compile("(?m)^\\|[^|]*\\| (Morgana sends|Morgana receives|iperf3 server sends|iperf3 server receives)"
                + " \\(\\w+\\) \\| (\\d+\\.\\d+) Gbit/s").matcher(out);
        int transfers = 0;
        while (bulk.find()) {
            assertThat(Double.parseDouble(bulk.group(2))).as(bulk.group()).isPositive();
            transfers++;
        }
        assertThat(transfers).as(out).isEqualTo(4);
        Matcher allocation = Pattern.compile("(?m)^\\|[^|]*\\| Morgana (sends|receives) \\(TAP\\), event loop \\| (\\d+\\.\\d) bytes/frame")
                .matcher(out);
        int measured = 0;
        while (allocation.find()) {
            measured++;
        }
        assertThat(measured).as("what the direct server's event loop allocated per frame, each way, in\n%s", out).isEqualTo(2);
        Matcher connections = Pattern.compile("(?m)connections: synacks=(\\d+) fins=(\\d+) failed=(\\d+)$").matcher(out);
        assertThat(connections.find()).as(out).isTrue();
        assertThat(Integer.parseInt(connections.group(1))).as("every connection of the run was captured").isGreaterThanOrEqualTo(300);
        assertThat(connections.group(2)).as("our FIN on each connection").isEqualTo(connections.group(1));
        assertThat(connections.group(3)).isEqualTo("0");
    }

    @Test
    void benchGuestQuickMeasuresEachPacketSocketUnderQemu(@TempDir Path tmp) throws Exception {
        String out = bench(tmp, Duration.ofSeconds(900), "guest", "--quick");

        for (String socket : List.of("plain", "virtio-net header", "TPACKET_V3 ring + header")) {
            Matcher pages = Pattern.compile("(?m)^\\|[^|]*\\| " + Pattern.quote(socket) + " \\| (\\d+) req/s \\|").matcher(out);
            for (String page : List.of("small page", "typical post")) {
                assertThat(pages.find()).as("the %s through the %s socket in\n%s", page, socket, out).isTrue();
                assertThat(Integer.parseInt(pages.group(1))).as("%s, %s", page, socket).isPositive();
            }
            Matcher bulk = Pattern.compile("(?m)^\\|[^|]*\\| " + Pattern.quote(socket) + " \\| (\\d+\\.\\d+) Gbit/s \\|").matcher(out);
            assertThat(bulk.find()).as("the bulk download through the %s socket in\n%s", socket, out).isTrue();
        }
    }

    @Test
    void benchIpQuickPrintsTheIpLayersPacketsPerSecond(@TempDir Path tmp) throws Exception {
        String out = bench(tmp, Duration.ofSeconds(300), "ip", "--quick");

        Matcher score = Pattern.compile("(?m)^IpLayerBenchmark\\.\\w+\\s+.*?\\s(\\d[\\d.,]*)\\s").matcher(out);
        assertThat(score.find()).as(out).isTrue();
    }

    @Test
    void benchMemoryQuickBootsTheBlogIn512And256MiB(@TempDir Path tmp) throws Exception {
        String out = bench(tmp, Duration.ofSeconds(600), "memory", "--quick");

        assertThat(out).as(out).containsPattern("(?m)^512 MiB: serves \\(1000 of 1000 answered 200\\)")
                .containsPattern("(?m)^256 MiB: (serves|fails) \\(");
    }

    private static String bench(Path tmp, Duration timeout, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("env",
                "MORGANA_BENCH_PORT=" + TargetBoots.freePort(), ExampleBlog.root().resolve("scripts/bench").toString()));
        command.addAll(List.of(args));
        Instant deadline = Instant.now().plus(timeout);
        try (ChildProcess bench = ChildProcess.start("scripts/bench", command, ExampleBlog.root(), tmp.resolve("bench.log"))) {
            while (bench.isAlive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(bench.isAlive()).as("scripts/bench %s finished within %s\n%s", args[0], timeout, bench.report()).isFalse();
            assertThat(bench.report()).as(bench.report()).contains("exited with 0");
            return bench.output();
        }
    }
}
