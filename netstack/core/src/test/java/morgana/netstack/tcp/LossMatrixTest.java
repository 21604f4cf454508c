package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.FaultInjector;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10 MB, byte-exact, through every combination of loss {0, 1, 5, 10, 20 %} (each way), reordering {off, on}
 * and duplication {off, on}, with NewReno and with CUBIC, on a link of 5 ms each way in the simulator (40 cells).
 * With the RFC 6298 minimum RTO of 1 s, goodput under loss follows the Padhye et al. model (timeouts dominate
 * from 5 % on). Each cell's simulated goodput is compared with
 * the snapshot in {@code loss-matrix.txt}: a cell more than twice as slow as recorded fails, small changes do
 * not. The table of this run is written to {@code target/loss-matrix.txt}; run with
 * {@code -Dmorgana.updateSnapshots=true} to replace the snapshot with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LossMatrixTest {

    static final int SIZE = 10 * 1024 * 1024;
    static final String SNAPSHOT = "loss-matrix.txt";
    static final double REORDERING = 0.05;
    static final double DUPLICATION = 0.05;
    static final Duration ONE_WAY_DELAY = Duration.ofMillis(5);

    private final byte[] data = new byte[SIZE];
    private final Map<String, Double> goodputs = new TreeMap<>();
    private final Map<String, Double> recorded = readSnapshot();

    LossMatrixTest() {
        new Random(10).nextBytes(data);
    }

    static Stream<Arguments> cells() {
        return Stream.of(TcpConfig.CongestionAlgorithm.values()).flatMap(cc -> Stream.of(0, 1, 5, 10, 20)
                .flatMap(loss -> Stream.of(false, true).flatMap(reorder ->
                        Stream.of(false, true).map(dup -> Arguments.of(loss, reorder, dup, cc)))));
    }

    static String key(int loss, boolean reorder, boolean dup, TcpConfig.CongestionAlgorithm cc) {
        return String.format("%-8s loss=%02d%% reorder=%-3s dup=%-3s", cc, loss, reorder ? "on" : "off", dup ? "on" : "off");
    }

    @ParameterizedTest(name = "{0}% loss, reordering {1}, duplication {2}, {3}")
    @MethodSource("cells")
    void transfersTenMegabytesByteExactWithBoundedMemory(int loss, boolean reorder, boolean dup,
                                                          TcpConfig.CongestionAlgorithm cc) {
        String key = key(loss, reorder, dup, cc);
        TcpConfig config = TcpConfig.defaults().withTimeWait(Duration.ofSeconds(1)).withMaxRetransmissions(30)
                .withCongestionControl(cc);
        NetworkStack client = TwoStacks.clientStack(config);
        NetworkStack server = TwoStacks.serverStack(config);
        LinkPair link = new LinkPair();
        Simulator sim = new Simulator(TwoStacks.T0);
        long seed = loss * 4L + (reorder ? 2 : 0) + (dup ? 1 : 0);
        sim.attach(client, link.a(), faults(link.a(), seed, sim, loss, reorder, dup));
        sim.attach(server, link.b(), faults(link.b(), seed + 100, sim, loss, reorder, dup));
        TcpListener listener = server.listen(80);
        TcpConnection sender = client.connect(TwoStacks.SERVER_IP, 80);
        TcpConnection[] receiver = new TcpConnection[1];
        ByteBuffer toSend = ByteBuffer.wrap(data);
        byte[] received = new byte[SIZE];
        int[] at = {0};
        int[] mostHeldOutOfOrder = {0};

        boolean done = sim.runUntil(() -> {
            if (receiver[0] == null) {
                receiver[0] = listener.accept();
                return false;
            }
            if (toSend.hasRemaining() && sender.write(toSend) > 0 && !toSend.hasRemaining()) {
                sender.close();
            }
            mostHeldOutOfOrder[0] = Math.max(mostHeldOutOfOrder[0], ((TcpSocket) receiver[0]).outOfOrderBytes());
            int n;
            // drain what arrived: the loop runs once per event, and after the last segment there may be none
            // until a timer, so reading one chunk per run would time a timer, not the transfer
            while ((n = receiver[0].read(ByteBuffer.wrap(received, at[0], Math.min(64 * 1024, SIZE - at[0])))) > 0) {
                at[0] += n;
            }
            return n == -1 || (at[0] == SIZE && receiver[0].read(ByteBuffer.allocate(1)) == -1);
        }, Duration.ofHours(4));
        Duration took = Duration.between(TwoStacks.T0, sim.now());

        assertThat(done).as("%s after %s: %d of %d bytes; %s / %s", key, took, at[0], SIZE,
                client.stats(), server.stats()).isTrue();
        assertThat(Arrays.equals(received, data)).as("byte-exact").isTrue();
        assertThat(mostHeldOutOfOrder[0]).isLessThanOrEqualTo(config.receiveBuffer());
        double goodput = SIZE / (took.toNanos() / 1e9) / 1e3;
        goodputs.put(key, goodput);
        Double before = recorded.get(key);
        if (before != null) {
            assertThat(goodput).as("%s goodput in kB/s against the snapshot's %.1f", key, before)
                    .isGreaterThan(before / 2);
        }
    }

    private static FaultInjector faults(LinkPair.End end, long seed, Simulator sim, int loss, boolean reorder,
                                        boolean dup) {
        FaultInjector f = new FaultInjector(end, seed, sim::now).loss(loss / 100.0).delay(ONE_WAY_DELAY, Duration.ZERO);
        if (reorder) {
            f.reordering(REORDERING);
        }
        if (dup) {
            f.duplication(DUPLICATION);
        }
        return f;
    }

    @AfterAll
    void writeTable() throws IOException {
        StringBuilder table = new StringBuilder("# simulated goodput of a 10 MB transfer in kB/s (LossMatrixTest; fails below half of these)\n");
        goodputs.forEach((k, v) -> table.append(k).append(String.format(" %10.1f%n", v)));
        Path target = Path.of("target", SNAPSHOT);
        Files.createDirectories(target.getParent());
        Files.writeString(target, table);
        if (Boolean.getBoolean("morgana.updateSnapshots") && goodputs.size() == 40) {
            Files.writeString(Path.of("src/test/resources/morgana/netstack/tcp", SNAPSHOT), table);
        }
        System.out.print(table);
    }

    private static Map<String, Double> readSnapshot() {
        Map<String, Double> out = new TreeMap<>();
        try (InputStream in = LossMatrixTest.class.getResourceAsStream(SNAPSHOT)) {
            if (in == null) {
                return out;
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (String line : lines) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    int cut = line.lastIndexOf(' ');
                    out.put(line.substring(0, cut).strip(), Double.parseDouble(line.substring(cut + 1).strip()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the snapshot " + SNAPSHOT, e);
        }
        return out;
    }
}
