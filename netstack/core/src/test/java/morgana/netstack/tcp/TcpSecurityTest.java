package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** SYN cookies, challenge-ACK limits (RFC 5961) and the layer's limits, played by hand. */
class TcpSecurityTest extends HandPlayedServer {

    static TcpRepr synFrom(int port, int seq) {
        return new TcpRepr(port, 80, seq, 0, TcpPacket.SYN, 65535, OptionalInt.of(1460), OptionalInt.of(7), true,
                new byte[0]);
    }

    @Test
    void answersSynsBeyondAFullBacklogWithACookieThatOpensTheConnection() {
        restartServer(handPlayed().withBacklog(1));
        assertThat(send(synFrom(40001, 1))).hasSize(1); // half-open: the backlog is full

        List<TcpRepr> cookie = send(synFrom(40002, 5000));
        assertThat(cookie).singleElement().satisfies(s -> {
            assertThat(s.syn() && s.ack()).isTrue();
            assertThat(s.windowScale()).isPresent();
            assertThat(s.sackPermitted()).isTrue();
        });
        assertThat(server.stats().drops(DropReason.TCP_BACKLOG_FULL)).isEqualTo(1);
        assertThat(((TcpListenerSocket) listener).readyCount()).isZero(); // no state kept for the cookie

        send(TcpRepr.of(40002, 80, 5001, cookie.getFirst().seqNumber() + 1, ACK, 100, "hi".getBytes()));

        TcpSocket opened = (TcpSocket) listener.accept();
        assertThat(opened).isNotNull();
        assertThat(opened.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(opened.sendMss()).isEqualTo(1460);
        assertThat(opened.sendShift()).isEqualTo(7);
        assertThat(opened.sackPermitted()).isTrue();
        assertThat(opened.timestampsOn()).isFalse();
        assertThat(text(opened)).isEqualTo("hi");
    }

    /**
     * Seen while looking at scripts/fuzz-live's SYN flood, where a real client's GET waited a second for its SYN
     * retransmission: cookies beyond the queue's 64 a poll went unsent, and no counter said so.
     */
    @Test
    void countsTheCookiesABurstOfSynsLeavesUnsentAndAnswersTheRetransmissions() {
        restartServer(handPlayed().withBacklog(1));
        send(synFrom(40000, 1)); // half-open: the backlog is full
        int burst = TcpLayer.RESET_QUEUE_CAPACITY + 36;
        for (int i = 1; i <= burst; i++) {
            link.b().inject(TestFrames.tcp(PEER_MAC, SERVER_MAC, PEER_IP, SERVER_IP, synFrom(40000 + i, i * 1000)));
        }

        List<TcpRepr> cookies = pollAt(now);

        assertThat(cookies).hasSize(TcpLayer.RESET_QUEUE_CAPACITY).allSatisfy(s -> assertThat(s.syn() && s.ack()).isTrue());
        assertThat(server.stats().drops(DropReason.TCP_REPLY_QUEUE_FULL)).isEqualTo(36);
        assertThat(send(synFrom(40000 + burst, burst * 1000))).as("the last SYN, retransmitted").hasSize(1);
    }

    @Test
    void resetsAnAckWhoseCookieDoesNotVerify() {
        restartServer(handPlayed().withBacklog(1));
        send(synFrom(40001, 1));
        TcpRepr cookie = send(synFrom(40002, 5000)).getFirst();

        List<TcpRepr> answer = send(TcpRepr.of(40002, 80, 5001, cookie.seqNumber() + 2, ACK, 100, new byte[0]));

        assertThat(answer).singleElement().satisfies(r -> assertThat(r.rst()).isTrue());
        assertThat(server.stats().drops(DropReason.TCP_BAD_SYN_COOKIE)).isEqualTo(1);
        assertThat(listener.accept()).isNull();
    }

    @Test
    void rateLimitsChallengeAcks() {
        restartServer(handPlayed().withLimits(100, 1 << 20, 1));
        TcpConnection c = handshake();

        int acks = 0;
        for (int i = 0; i < 5; i++) {
            acks += send(seg(PEER_ISS + 100 + i, 0, TcpPacket.RST, 0, "")).size();
        }

        assertThat(acks).isEqualTo(1);
        assertThat(server.stats().drops(DropReason.TCP_CHALLENGED)).isEqualTo(5);
        assertThat(server.stats().drops(DropReason.TCP_CHALLENGE_ACK_RATE_LIMITED)).isEqualTo(4);
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void refusesConnectionsBeyondTheLimit() {
        restartServer(handPlayed().withLimits(1, 1 << 20, 100));
        handshake();

        assertThat(send(synFrom(40003, 1))).isEmpty();

        assertThat(server.stats().drops(DropReason.TCP_CONNECTION_LIMIT)).isEqualTo(1);
    }

    /**
     * Found by {@code scripts/fuzz-live --flood idle --count 10000}: the server closed the 10 000 idle connections,
     * each went into TIME_WAIT, and for the next 2*MSL every new client was refused at the connection limit.
     */
    @Test
    void aNewConnectionAtTheLimitTakesTheRoomOfTheOldestTimeWait() {
        restartServer(handPlayed().withLimits(1, 1 << 20, 100));
        TcpConnection old = handshake();
        closeIntoTimeWait(old);

        List<TcpRepr> answer = send(synFrom(40003, 1));

        assertThat(answer).singleElement().satisfies(s -> assertThat(s.syn() && s.ack()).isTrue());
        assertThat(old.state()).isEqualTo(TcpState.CLOSED);
        assertThat(server.stats().drops(DropReason.TCP_TIME_WAIT_RECYCLED)).isEqualTo(1);
        assertThat(server.stats().drops(DropReason.TCP_CONNECTION_LIMIT)).isZero();
        assertThat(send(synFrom(40004, 1))).as("no TIME_WAIT left to take the room of").isEmpty();
        assertThat(server.stats().drops(DropReason.TCP_CONNECTION_LIMIT)).isEqualTo(1);
    }

    @Test
    void holdsNoMoreOutOfOrderDataThanTheLayersBudget() {
        restartServer(handPlayed().withLimits(100, 1000, 100));
        TcpConnection c = handshake();

        send(seg(PEER_ISS + 11, serverIss + 1, ACK, 65535, "a".repeat(600)));
        send(seg(PEER_ISS + 611, serverIss + 1, ACK, 65535, "b".repeat(600)));

        assertThat(((TcpSocket) c).outOfOrderBytes()).isEqualTo(1000);
        assertThat(server.stats().drops(DropReason.TCP_OUT_OF_ORDER)).isEqualTo(1);
        List<TcpRepr> filled = send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "0123456789"));
        assertThat(filled.getLast().ackNumber()).isEqualTo(PEER_ISS + 1011);
        assertThat(((TcpSocket) c).outOfOrderBytes()).isZero();
    }

    @Test
    void acksAndDropsDataOutsideTheWindow() {
        TcpConnection c = handshake();

        List<TcpRepr> answer = send(seg(PEER_ISS + 1 + 70_000, serverIss + 1, ACK, 65535, "far"));

        assertThat(answer).singleElement().satisfies(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 1));
        assertThat(server.stats().drops(DropReason.TCP_OUT_OF_WINDOW)).isEqualTo(1);
        assertThat(text(c)).isEmpty();
    }

    /**
     * Seen in the pcap of scripts/fuzz-live's SYN flood, where a real client GETs on a new connection each time:
     * 97 of its 2 576 SYNs reused a port whose previous connection the server still held in TIME_WAIT, got that
     * connection's ACK ("TCP_OUT_OF_WINDOW"), and cost the client a reset and a second SYN.
     */
    @Test
    void aNewSynBeyondTheOldConnectionReopensItsFourTupleFromTimeWait() {
        TcpConnection old = handshake();
        TcpRepr fin = closeIntoTimeWait(old);

        List<TcpRepr> answer = send(new TcpRepr(PEER_PORT, 80, PEER_ISS + 100_000, 0, TcpPacket.SYN, 65535,
                OptionalInt.of(1460), OptionalInt.empty(), false, new byte[0]));

        assertThat(answer).singleElement().satisfies(s -> {
            assertThat(s.syn() && s.ack()).isTrue();
            assertThat(s.ackNumber()).isEqualTo(PEER_ISS + 100_001);
            assertThat(Seq.gt(s.seqNumber(), fin.seqNumber() + 1)).as("an ISN beyond the old incarnation's FIN").isTrue();
        });
        assertThat(old.state()).isEqualTo(TcpState.CLOSED);
        send(TcpRepr.of(PEER_PORT, 80, PEER_ISS + 100_001, answer.getFirst().seqNumber() + 1, ACK, 65535, new byte[0]));
        assertThat(listener.accept()).isNotNull().satisfies(c -> assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED));
        assertThat(server.stats().drops(DropReason.TCP_TIME_WAIT_RECYCLED)).isEqualTo(1);
    }

    /** Seen in the same SYN flood after the fix above: its half-open connections keep the backlog full. */
    @Test
    void aNewSynInTimeWaitWhileTheBacklogIsFullGetsACookie() {
        restartServer(handPlayed().withBacklog(1));
        TcpConnection old = handshake();
        closeIntoTimeWait(old);
        send(synFrom(40001, 1)); // half-open: the backlog is full

        List<TcpRepr> answer = send(new TcpRepr(PEER_PORT, 80, PEER_ISS + 100_000, 0, TcpPacket.SYN, 65535,
                OptionalInt.of(1460), OptionalInt.empty(), false, new byte[0]));

        assertThat(answer).singleElement().satisfies(s -> {
            assertThat(s.syn() && s.ack()).isTrue();
            assertThat(s.ackNumber()).isEqualTo(PEER_ISS + 100_001);
        });
        assertThat(old.state()).isEqualTo(TcpState.CLOSED);
        assertThat(server.stats().drops(DropReason.TCP_BACKLOG_FULL)).isEqualTo(1);
        send(TcpRepr.of(PEER_PORT, 80, PEER_ISS + 100_001, answer.getFirst().seqNumber() + 1, ACK, 65535, new byte[0]));
        assertThat(listener.accept()).isNotNull().satisfies(c -> assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED));
    }

    @Test
    void anOldSynInTimeWaitGetsTheOldConnectionsAckAndTimeWaitStays() {
        TcpConnection old = handshake();
        closeIntoTimeWait(old);

        List<TcpRepr> answer = send(new TcpRepr(PEER_PORT, 80, PEER_ISS, 0, TcpPacket.SYN, 65535,
                OptionalInt.of(1460), OptionalInt.empty(), false, new byte[0]));

        assertThat(answer).singleElement().satisfies(s -> {
            assertThat(s.syn()).isFalse();
            assertThat(s.ackNumber()).isEqualTo(PEER_ISS + 2); // past the peer's FIN
        });
        assertThat(old.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void anExactResetInTimeWaitClosesIt() {
        TcpConnection c = handshake();
        closeIntoTimeWait(c);

        send(seg(PEER_ISS + 2, 0, TcpPacket.RST, 0, ""));

        assertThat(c.state()).isEqualTo(TcpState.CLOSED); // RFC 9293 §3.10.7.4, TIME-WAIT: RST closes
        assertThat(((TcpSocket) c).wasReset()).isFalse();
    }

    @Test
    void anInWindowResetInTimeWaitNotAtRcvNxtEarnsAChallengeAckAndTimeWaitStays() {
        TcpConnection c = handshake();
        TcpRepr fin = closeIntoTimeWait(c);

        List<TcpRepr> out = send(seg(PEER_ISS + 100, 0, TcpPacket.RST, 0, ""));

        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT); // RFC 5961 §3.2
        assertThat(out).singleElement().satisfies(ack -> {
            assertThat(ack.rst()).isFalse();
            assertThat(ack.seqNumber()).isEqualTo(fin.seqNumber() + 1);
            assertThat(ack.ackNumber()).isEqualTo(PEER_ISS + 2);
        });
    }
}
