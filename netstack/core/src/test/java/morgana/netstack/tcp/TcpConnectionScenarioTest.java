package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import morgana.netstack.iface.DropReason;
import org.junit.jupiter.api.Test;

class TcpConnectionScenarioTest {

    static String readAll(TcpConnection c) {
        ByteBuffer buf = ByteBuffer.allocate(70_000);
        int n = c.read(buf);
        return n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8);
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void exchangesDataBothWaysAndClosesWithFinBothWays() {
        TwoStacks net = new TwoStacks();
        TcpListener listener = net.server.listen(80);
        TcpConnection[] pair = net.connected(listener);
        TcpConnection client = pair[0];
        TcpConnection server = pair[1];
        assertThat(server.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(server.remoteAddress().getPort()).isEqualTo(client.localAddress().getPort());

        assertThat(client.write(text("GET / HTTP/1.1\r\n\r\n"))).isEqualTo(18);
        StringBuilder got = new StringBuilder();
        net.run(() -> got.append(readAll(server)).length() == 18);
        assertThat(got).hasToString("GET / HTTP/1.1\r\n\r\n");

        server.write(text("HTTP/1.1 200 OK\r\n\r\nhello"));
        server.shutdownOutput(); // the server closes first: FIN after the data
        assertThat(server.state()).isEqualTo(TcpState.FIN_WAIT_1);
        StringBuilder response = new StringBuilder();
        net.run(() -> response.append(readAll(client)).toString().endsWith("hello")
                && client.read(ByteBuffer.allocate(1)) == -1);
        assertThat(response).hasToString("HTTP/1.1 200 OK\r\n\r\nhello");
        assertThat(client.state()).isEqualTo(TcpState.CLOSE_WAIT);
        net.run(() -> server.state() == TcpState.FIN_WAIT_2);

        client.shutdownOutput();
        assertThat(client.state()).isEqualTo(TcpState.LAST_ACK);
        net.run(() -> server.state() == TcpState.TIME_WAIT);
        assertThat(server.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        net.run(() -> client.isClosed());
        assertThat(net.sim.now()).isBefore(TwoStacks.T0.plusSeconds(1));

        net.run(server::isClosed);
        assertThat(net.sim.now()).isAfterOrEqualTo(TwoStacks.T0.plusSeconds(2)); // 2*MSL of the test config
        assertThat(net.client.stats().totalDrops()).as(net.client.stats().toString()).isZero();
        assertThat(net.server.stats().totalDrops()).as(net.server.stats().toString()).isZero();
        assertThat(net.sim.runUntilIdle(Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        List<TcpState> serverStates = new ArrayList<>();

        pair[0].shutdownOutput();
        pair[1].shutdownOutput();
        net.run(() -> {
            serverStates.add(pair[1].state());
            return pair[0].isClosed() && pair[1].isClosed();
        });

        assertThat(serverStates).contains(TcpState.CLOSING, TcpState.TIME_WAIT);
        assertThat(pair[0].read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }

    @Test
    void resetsAConnectionToAClosedPort() {
        TwoStacks net = new TwoStacks();
        TcpConnection c = net.client.connect(TwoStacks.SERVER_IP, 81);

        net.run(c::isClosed);

        assertThat(((TcpSocket) c).wasReset()).isTrue();
        assertThat(net.server.stats().drops(DropReason.TCP_NO_SOCKET)).isEqualTo(1);
        assertThat(net.server.stats().tcpResetsSent()).isEqualTo(1);
        assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }

    @Test
    void aClosedListenerRefusesNewConnections() {
        TwoStacks net = new TwoStacks();
        TcpListener listener = net.server.listen(80);
        listener.close();
        TcpConnection c = net.client.connect(TwoStacks.SERVER_IP, 80);

        net.run(c::isClosed);

        assertThat(((TcpSocket) c).wasReset()).isTrue();
        assertThat(net.server.listen(80).port()).isEqualTo(80); // the port is free again
    }

    @Test
    void retransmitsALostSegmentAfterTheRto() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        var start = net.sim.now();

        net.link.a().dropNext(1);
        pair[0].write(text("lost once"));
        StringBuilder got = new StringBuilder();
        net.run(() -> got.append(readAll(pair[1])).length() == 9);

        assertThat(got).hasToString("lost once");
        assertThat(net.client.stats().tcpRetransmissions()).isEqualTo(1);
        assertThat(Duration.between(start, net.sim.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retransmitsALostSynAndSynAck() {
        TwoStacks net = new TwoStacks();
        TcpListener listener = net.server.listen(80);
        net.link.a().dropNext(2); // the ARP request and the first SYN... ARP is re-requested after 1 s
        net.link.b().dropNext(2); // the ARP reply, then the SYN-ACK

        TcpConnection[] pair = net.connected(listener);

        assertThat(pair[1].state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(net.client.stats().tcpRetransmissions() + net.server.stats().tcpRetransmissions()).isPositive();
    }

    @Test
    void givesUpAndResetsAfterTheRetransmissionLimit() {
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withMaxRetransmissions(4));
        TcpConnection[] pair = net.connected(net.server.listen(80));

        net.link.b().setDropFilter(frame -> true); // the server goes silent
        pair[0].write(text("anyone?"));
        net.run(pair[0]::isClosed);

        assertThat(((TcpSocket) pair[0]).wasReset()).isTrue();
        assertThat(net.client.stats().tcpConnectionsTimedOut()).isEqualTo(1);
        assertThat(net.client.stats().tcpRetransmissions()).isEqualTo(4);
        // 1 + 2 + 4 + 8 + 16 seconds of exponential backoff
        assertThat(Duration.between(TwoStacks.T0, net.sim.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(31));
    }

    @Test
    void abortSendsResetAndThePeerCloses() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));

        pair[1].abort();
        assertThat(pair[1].isClosed()).isTrue();
        net.run(pair[0]::isClosed);

        assertThat(((TcpSocket) pair[0]).wasReset()).isTrue();
        assertThat(net.server.stats().tcpResetsSent()).isEqualTo(1);
    }

    @Test
    void transfersOneMegabyteOverALinkThatLosesOneFrameInTen() {
        TwoStacks net = new TwoStacks();
        net.link.a().setLossRate(0.1, 7);
        net.link.b().setLossRate(0.1, 8);
        TcpConnection[] pair = net.connected(net.server.listen(80));
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);

        boolean done = net.run(() -> {
            if (toSend.hasRemaining()) {
                pair[1].write(toSend);
                if (!toSend.hasRemaining()) {
                    pair[1].shutdownOutput();
                }
            }
            chunk.clear();
            int n = pair[0].read(chunk);
            if (n > 0) {
                received.write(chunk.array(), 0, n);
            }
            return n == -1;
        });

        assertThat(done).as(received.size() + " " + pair[0] + " " + pair[1] + " " + net.sim.now() + net.client.stats() + " / " + net.server.stats()).isTrue();
        assertThat(received.toByteArray()).isEqualTo(data);
        assertThat(net.server.stats().tcpRetransmissions()).isPositive();
        assertThat(net.link.b().droppedFrames()).isPositive();
    }

    @Test
    void aSlowReaderClosesTheWindowAndTheSenderWaits() {
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withBuffers(4096, 64 * 1024));
        TcpConnection[] pair = net.connected(net.server.listen(80));
        byte[] data = new byte[20_000];
        new Random(1).nextBytes(data);

        assertThat(pair[0].write(ByteBuffer.wrap(data))).isEqualTo(20_000);
        net.sim.runUntil(() -> false, Duration.ofSeconds(5));
        assertThat(pair[0].unacknowledgedBytes()).isEqualTo(20_000 - 4096);
        assertThat(pair[0].state()).isEqualTo(TcpState.ESTABLISHED);

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(1000);
        net.run(() -> {
            chunk.clear();
            int n = pair[1].read(chunk);
            if (n > 0) {
                received.write(chunk.array(), 0, n);
            }
            return received.size() == data.length;
        });
        assertThat(received.toByteArray()).isEqualTo(data);
    }
}
