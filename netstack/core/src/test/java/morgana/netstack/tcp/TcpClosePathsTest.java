package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/**
 * The ways a connection ends (RFC 9293 §3.6, §3.10.4, §3.10.5): every orderly close sends our FIN after the
 * data, an abortive one sends RST, and TIME_WAIT lasts 2×MSL.
 */
class TcpClosePathsTest extends HandPlayedServer {

    static final int FIN = TcpPacket.FIN;
    static final int RST = TcpPacket.RST;

    @Test
    void closeAfterThePeersFinSendsOurFinAndWaitsInLastAck() {
        TcpConnection c = handshake();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK | FIN, 65535, "bye"));
        assertThat(c.state()).isEqualTo(TcpState.CLOSE_WAIT);

        c.close();
        List<TcpRepr> out = pollAt(now);

        assertThat(c.state()).isEqualTo(TcpState.LAST_ACK);
        assertThat(out).singleElement().satisfies(fin -> {
            assertThat(fin.fin()).isTrue();
            assertThat(fin.seqNumber()).isEqualTo(serverIss + 1);
            assertThat(fin.ackNumber()).isEqualTo(PEER_ISS + 5);
        });
        send(seg(PEER_ISS + 5, serverIss + 2, ACK, 65535, ""));
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void closeInSynReceivedSendsTheFinOnceEstablished() {
        // A simultaneous open (RFC 9293 figure 8) is the one way the application holds a SYN_RECEIVED connection.
        TcpConnection ours = server.connect(PEER_IP, 5000);
        TcpRepr syn = pollAt(now).getFirst();
        int peerIss = 90_000;
        send(TcpRepr.of(5000, syn.sourcePort(), peerIss, 0, TcpPacket.SYN, 65535, new byte[0]));
        assertThat(ours.state()).isEqualTo(TcpState.SYN_RECEIVED);

        ours.close();
        assertThat(pollAt(now)).noneMatch(TcpRepr::fin); // RFC 9293 §3.10.4: the FIN waits for ESTABLISHED
        List<TcpRepr> out = send(TcpRepr.of(5000, syn.sourcePort(), peerIss + 1, syn.seqNumber() + 1, ACK, 65535,
                new byte[0]));

        assertThat(ours.state()).isEqualTo(TcpState.FIN_WAIT_1);
        assertThat(out).anySatisfy(s -> {
            assertThat(s.fin()).isTrue();
            assertThat(s.seqNumber()).isEqualTo(syn.seqNumber() + 1);
        });
    }

    @Test
    void closeWithDataTheWindowHoldsBackSendsItThenTheFin() {
        TcpConnection c = handshake(OptionalInt.of(1460), 100);
        c.write(ByteBuffer.wrap(new byte[250]));
        c.close();

        List<TcpRepr> first = pollAt(now);
        assertThat(first).extracting(s -> s.payloadLength()).containsExactly(100);
        assertThat(first).noneMatch(TcpRepr::fin);
        List<TcpRepr> rest = send(seg(PEER_ISS + 1, serverIss + 101, ACK, 1000, ""));

        assertThat(rest).extracting(s -> s.payloadLength()).containsExactly(150);
        assertThat(rest.getLast().fin()).isTrue();
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_1);
    }

    @Test
    void abortInCloseWaitSendsResetAndNoFin() {
        TcpConnection c = handshake();
        c.write(ByteBuffer.wrap("unsent".getBytes()));
        send(seg(PEER_ISS + 1, serverIss + 1, ACK | FIN, 65535, ""));

        c.abort();
        List<TcpRepr> out = pollAt(now);

        assertThat(out).singleElement().satisfies(rst -> {
            assertThat(rst.rst()).isTrue();
            assertThat(rst.fin()).isFalse();
        });
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void abortInLastAckSendsNothing() {
        TcpConnection c = handshake();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK | FIN, 65535, ""));
        c.close();
        pollAt(now);

        c.abort(); // RFC 9293 §3.10.5: CLOSING, LAST_ACK, TIME_WAIT just delete the TCB

        assertThat(pollAt(now)).isEmpty();
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void timeWaitLastsTwiceTheConfiguredMsl() {
        restartServer(handPlayed().withMsl(Duration.ofSeconds(7)));
        TcpConnection c = handshake();
        TcpRepr fin = closeIntoTimeWait(c);
        assertThat(server.pollAt(now)).contains(now.plusSeconds(14));

        pollAt(now.plusSeconds(14).minusMillis(1));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        pollAt(now.plusMillis(1));
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void aResetInSynReceivedForgetsTheHalfOpenConnection() {
        TcpRepr synAck = send(syn(OptionalInt.of(1460))).getFirst();

        send(seg(PEER_ISS + 1, 0, RST, 0, ""));

        assertThat(server.pollAt(now.plusSeconds(30))).isEmpty(); // no SYN-ACK retransmission is pending
        assertThat(send(seg(PEER_ISS + 1, synAck.seqNumber() + 1, ACK, 65535, "")))
                .singleElement().satisfies(r -> assertThat(r.rst()).isTrue()); // LISTEN resets a stray ACK
        assertThat(listener.accept()).isNull();
    }

    @Test
    void closingTheListenerResetsTheConnectionsNobodyAccepted() {
        TcpRepr synAck = send(syn(OptionalInt.of(1460))).getFirst();
        send(seg(PEER_ISS + 1, synAck.seqNumber() + 1, ACK, 65535, "unread")); // established, not accepted
        TcpRepr halfOpenSynAck = send(TcpRepr.of(40001, 80, 5000, 0, TcpPacket.SYN, 65535, new byte[0])).getFirst();

        listener.close();
        List<TcpRepr> out = pollAt(now);

        assertThat(out).allSatisfy(s -> assertThat(s.rst()).isTrue())
                .anySatisfy(s -> {
                    assertThat(s.destinationPort()).isEqualTo(PEER_PORT);
                    assertThat(s.seqNumber()).isEqualTo(synAck.seqNumber() + 1);
                })
                .anySatisfy(s -> {
                    assertThat(s.destinationPort()).isEqualTo(40001);
                    assertThat(s.seqNumber()).isEqualTo(halfOpenSynAck.seqNumber() + 1);
                });
        assertThat(server.pollAt(now.plusSeconds(30))).isEmpty();
    }
}
