package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.phy.PcapWriter;
import morgana.netstack.sim.Simulator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed's second failure, a server that never sends FIN, checked the way its author found it: in a capture
 * that tshark reads. Every way our server's side of a connection can end in an orderly close is played in the
 * simulator, with the server's link captured; the FIN tshark finds from the server must come after every byte
 * the server wrote (its relative sequence number is 1 + the bytes written, RFC 9293 §3.4).
 */
class TcpFinCaptureTest {

    private static final int WRITTEN = 300_000;

    /** How the server's side ends, RFC 9293 §3.6. */
    enum ClosePath {
        /** The server closes first: ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT. */
        SERVER_CLOSES_FIRST,
        /** The client half-closes first; the server writes on, then closes: CLOSE_WAIT -> LAST_ACK. */
        CLIENT_HALF_CLOSES_FIRST,
        /** Both close at once: FIN_WAIT_1 -> CLOSING -> TIME_WAIT. */
        SIMULTANEOUS,
        /** The server closes with most of its data still held back by a client that has stopped reading. */
        CLOSE_WHILE_THE_WINDOW_HOLDS_DATA_BACK,
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ClosePath.class)
    void theCaptureShowsTheServersFinAfterAllItsData(ClosePath path) throws Exception {
        TcpConfig tcp = TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)).withBuffers(16_384, 512 * 1024);
        NetworkStack client = TwoStacks.clientStack(tcp);
        NetworkStack server = TwoStacks.serverStack(tcp);
        var link = new LinkPair();
        var sim = new Simulator(TwoStacks.T0);
        var captured = new ByteArrayOutputStream();
        sim.attach(client, link.a()).attach(server, link.b(), new PcapWriter(link.b(), captured, sim::now));

        TcpListener listener = server.listen(80);
        TcpConnection c = client.connect(TwoStacks.SERVER_IP, 80);
        TcpConnection[] s = new TcpConnection[1];
        assertThat(sim.runUntil(() -> (s[0] != null || (s[0] = listener.accept()) != null)
                && c.state() == TcpState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();
        ByteBuffer data = ByteBuffer.allocate(WRITTEN);
        var received = new long[1];
        boolean[] clientReads = {path != ClosePath.CLOSE_WHILE_THE_WINDOW_HOLDS_DATA_BACK};

        switch (path) {
            case SERVER_CLOSES_FIRST -> assertThat(s[0].write(data)).isEqualTo(WRITTEN);
            case CLIENT_HALF_CLOSES_FIRST -> {
                c.shutdownOutput();
                assertThat(sim.runUntil(() -> s[0].state() == TcpState.CLOSE_WAIT, Duration.ofSeconds(10))).isTrue();
                assertThat(s[0].write(data)).isEqualTo(WRITTEN);
            }
            case SIMULTANEOUS -> {
                c.shutdownOutput();
                s[0].shutdownOutput();
            }
            case CLOSE_WHILE_THE_WINDOW_HOLDS_DATA_BACK -> {
                assertThat(s[0].write(data)).isEqualTo(WRITTEN);
                sim.runUntil(() -> false, Duration.ofSeconds(1)); // the client's window fills and closes
                assertThat(s[0].unacknowledgedBytes()).as("held back by the window").isGreaterThan(WRITTEN / 2);
                clientReads[0] = true;
            }
        }
        s[0].shutdownOutput();
        ByteBuffer sink = ByteBuffer.allocate(65_536);
        boolean ended = sim.runUntil(() -> {
            if (clientReads[0]) {
                int n;
                while ((n = c.read(sink.clear())) > 0) {
                    received[0] += n;
                }
                if (n < 0 && c.state() == TcpState.CLOSE_WAIT) {
                    c.shutdownOutput();
                }
            }
            return c.isClosed() && s[0].isClosed();
        }, Duration.ofMinutes(2));
        assertThat(ended).as("both ends closed: client %s, server %s", c.state(), s[0].state()).isTrue();
        int written = path == ClosePath.SIMULTANEOUS ? 0 : WRITTEN;
        assertThat(received[0]).isEqualTo(written);

        Path pcap = dir.resolve(path + ".pcap");
        Files.write(pcap, captured.toByteArray());
        List<String> fins = tshark(pcap, "tcp.flags.fin == 1 && ip.src == " + TwoStacks.SERVER_IP);
        // one FIN, its sequence number (relative) plus the data it may carry ending where the data ends
        assertThat(fins).as("the server's FINs in %s", pcap).singleElement().satisfies(fin -> {
            String[] seqAndLength = fin.split("\t");
            assertThat(Long.parseLong(seqAndLength[0]) + Long.parseLong(seqAndLength[1])).isEqualTo(1L + written);
        });
        assertThat(tshark(pcap, "tcp.flags.reset == 1")).as("no RST on an orderly close").isEmpty();
        assertThat(tshark(pcap, "tcp.flags.fin == 1 && ip.src == " + TwoStacks.CLIENT_IP)).hasSize(1);
    }

    /** The relative sequence number and payload length of each segment {@code filter} matches. */
    private static List<String> tshark(Path pcap, String filter) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-Y", filter, "-T", "fields",
                "-e", "tcp.seq", "-e", "tcp.len").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().filter(l -> !l.isBlank()).toList();
    }
}
