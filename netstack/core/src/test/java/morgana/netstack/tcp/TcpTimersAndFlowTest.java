package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** Delayed ACKs, Nagle, keepalive and window updates, played by hand against the server stack. */
class TcpTimersAndFlowTest extends HandPlayedServer {

    @Test
    void delaysTheAckOfOneSegmentUpToTheConfiguredTime() {
        restartServer(handPlayed().withDelayedAck(Duration.ofMillis(40)));
        handshake();

        assertThat(send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "one"))).isEmpty();
        assertThat(server.pollAt(now)).contains(now.plusMillis(40));
        assertThat(pollAt(now.plusMillis(40))).singleElement()
                .satisfies(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 4));
    }

    @Test
    void acksEverySecondSegmentAtOnce() {
        restartServer(handPlayed().withDelayedAck(Duration.ofMillis(200)));
        handshake();

        assertThat(send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "one"))).isEmpty();
        assertThat(send(seg(PEER_ISS + 4, serverIss + 1, ACK, 65535, "two"))).singleElement()
                .satisfies(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 7));
    }

    @Test
    void acksAnOutOfOrderSegmentAtOnceEvenWithDelayedAcks() {
        restartServer(handPlayed().withDelayedAck(Duration.ofMillis(200)));
        handshake();

        assertThat(send(seg(PEER_ISS + 10, serverIss + 1, ACK, 65535, "later"))).singleElement()
                .satisfies(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 1));
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledged() {
        TcpConnection c = handshake();
        c.setNagle(true);

        c.write(ByteBuffer.wrap("a".getBytes(StandardCharsets.UTF_8)));
        assertThat(pollAt(now)).extracting(s -> s.payloadLength()).containsExactly(1);
        c.write(ByteBuffer.wrap("bc".getBytes(StandardCharsets.UTF_8)));
        assertThat(pollAt(now)).isEmpty();

        List<TcpRepr> afterAck = send(seg(PEER_ISS + 1, serverIss + 2, ACK, 65535, ""));

        assertThat(afterAck).extracting(s -> new String(s.payloadBytes(), StandardCharsets.UTF_8)).containsExactly("bc");
    }

    @Test
    void withoutNagleSmallSegmentsGoAtOnce() {
        TcpConnection c = handshake();
        assertThat(c.nagle()).isFalse(); // the default, as Netty's TCP_NODELAY

        c.write(ByteBuffer.wrap("a".getBytes(StandardCharsets.UTF_8)));
        pollAt(now);
        c.write(ByteBuffer.wrap("bc".getBytes(StandardCharsets.UTF_8)));

        assertThat(pollAt(now)).extracting(s -> s.payloadLength()).containsExactly(2);
    }

    @Test
    void keepaliveProbesAnIdlePeerAndResetsWhenItNeverAnswers() {
        restartServer(handPlayed().withKeepAlive(new TcpConfig.KeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3)));
        TcpConnection c = handshake();
        java.time.Instant idleSince = now;

        assertThat(server.pollAt(now)).contains(idleSince.plusSeconds(10));
        List<TcpRepr> probe = pollAt(idleSince.plusSeconds(10));
        assertThat(probe).singleElement().satisfies(p -> {
            assertThat(p.seqNumber()).isEqualTo(serverIss); // SND.NXT - 1: the peer must answer
            assertThat(p.payloadBytes()).isEmpty();
        });
        assertThat(pollAt(idleSince.plusSeconds(11))).hasSize(1);
        assertThat(pollAt(idleSince.plusSeconds(12))).hasSize(1);
        List<TcpRepr> reset = pollAt(idleSince.plusSeconds(13));

        assertThat(reset).singleElement().satisfies(r -> assertThat(r.rst()).isTrue());
        assertThat(c.isClosed()).isTrue();
        assertThat(((TcpSocket) c).wasReset()).isTrue();
    }

    @Test
    void anAnsweredKeepaliveKeepsTheConnection() {
        restartServer(handPlayed().withKeepAlive(new TcpConfig.KeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(1), 1)));
        TcpConnection c = handshake();
        java.time.Instant start = now;

        pollAt(start.plusSeconds(10));
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, ""));

        assertThat(server.pollAt(now)).contains(now.plusSeconds(10));
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void sendsAWindowUpdateOnceTheApplicationReadsAFullWindow() {
        restartServer(handPlayed().withBuffers(2000, 64 * 1024));
        TcpConnection c = handshake();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "x".repeat(1000)));
        List<TcpRepr> full = send(seg(PEER_ISS + 1001, serverIss + 1, ACK, 65535, "x".repeat(1000)));
        assertThat(full).singleElement().satisfies(a -> assertThat(a.window()).isZero());

        c.read(ByteBuffer.allocate(500)); // less than min(buffer/2, MSS): no update yet (RFC 1122 §4.2.3.3)
        assertThat(pollAt(now)).isEmpty();
        c.read(ByteBuffer.allocate(600));

        assertThat(pollAt(now)).singleElement().satisfies(a -> assertThat(a.window()).isEqualTo(1100));
    }

    @Test
    void closeSendsEverythingWrittenThenTheFin() {
        TcpConnection c = handshake();
        c.write(ByteBuffer.wrap("last words".getBytes(StandardCharsets.UTF_8)));

        c.close();
        List<TcpRepr> out = pollAt(now);

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(new String(s.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("last words");
            assertThat(s.fin()).isTrue();
            assertThat(s.flags() & TcpPacket.PSH).isNotZero();
        });
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_1);
    }
}
