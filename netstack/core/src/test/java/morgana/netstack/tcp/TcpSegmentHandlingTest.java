package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.InternetChecksum;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Segment-level behaviour of the server stack, played by hand (see {@link HandPlayedServer}). */
class TcpSegmentHandlingTest extends HandPlayedServer {

    // ---- handshake ----

    @Test
    void answersSynWithSynAckCarryingOurMss() {
        List<TcpRepr> out = send(syn(OptionalInt.of(1460)));

        assertThat(out).hasSize(1);
        TcpRepr synAck = out.get(0);
        assertThat(synAck.flags()).isEqualTo(TcpPacket.SYN | TcpPacket.ACK);
        assertThat(synAck.ackNumber()).isEqualTo(PEER_ISS + 1);
        assertThat(synAck.maxSegmentSize()).hasValue(1460);
        assertThat(synAck.windowScale()).isEmpty(); // we do not scale, so neither may the peer
        assertThat(listener.accept()).isNull(); // not established yet
    }

    @Test
    void completesTheHandshakeWhateverOptionsTheSynCarries() {
        // MSS, SACK-permitted, timestamps, NOP, window scale, an unknown kind 30, then EOL padding
        byte[] options = {2, 4, 5, (byte) 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7, 30, 3, 9, 0};
        inject(rawTcpFrame(PEER_ISS, 0, TcpPacket.SYN, options.length / 4 + 5, options, new byte[0]));
        List<TcpRepr> synAck = received();

        assertThat(synAck).hasSize(1);
        assertThat(synAck.get(0).syn()).isTrue();
        send(seg(PEER_ISS + 1, synAck.get(0).seqNumber() + 1, ACK, 1000, ""));
        assertThat(listener.accept()).isNotNull();
    }

    @Test
    void retransmitsTheSynAckAfterOneSecondAndOnADuplicateSyn() {
        TcpRepr first = send(syn(OptionalInt.of(1460))).get(0);
        assertThat(server.pollAt(now)).contains(now.plusSeconds(1));

        List<TcpRepr> again = pollAt(now.plusSeconds(1));
        List<TcpRepr> onDuplicate = send(syn(OptionalInt.of(1460)));

        assertThat(again).containsExactly(first);
        assertThat(onDuplicate).containsExactly(first);
    }

    @Test
    void usesTheDefaultMssWhenTheSynHasNone() {
        TcpConnection c = handshake(OptionalInt.empty(), 65535);

        c.write(ByteBuffer.allocate(2000));
        List<TcpRepr> out = pollAt(now);

        assertThat(out).extracting(s -> s.payloadLength()).containsExactly(536, 536, 536, 392);
    }

    // ---- sending ----

    @Test
    void honorsThePeersMss() {
        TcpConnection c = handshake(OptionalInt.of(100), 65535);

        assertThat(c.write(ByteBuffer.allocate(250))).isEqualTo(250);
        List<TcpRepr> out = pollAt(now);

        assertThat(out).extracting(s -> s.payloadLength()).containsExactly(100, 100, 50);
        assertThat(out).extracting(TcpRepr::seqNumber).containsExactly(serverIss + 1, serverIss + 101, serverIss + 201);
        assertThat(c.unacknowledgedBytes()).isEqualTo(250);
    }

    @Test
    void honorsThePeersWindowAndSendsMoreWhenItOpens() {
        TcpConnection c = handshake(OptionalInt.of(1460), 300);

        c.write(ByteBuffer.allocate(1000));
        assertThat(pollAt(now)).extracting(s -> s.payloadLength()).containsExactly(300);

        List<TcpRepr> more = send(seg(PEER_ISS + 1, serverIss + 301, ACK, 500, ""));

        assertThat(more).extracting(s -> s.payloadLength()).containsExactly(500);
        assertThat(c.unacknowledgedBytes()).isEqualTo(700);
    }

    @Test
    void probesAZeroWindowAndResumesWhenItOpens() {
        TcpConnection c = handshake(OptionalInt.of(1460), 0);

        c.write(ByteBuffer.allocate(10));
        assertThat(pollAt(now)).isEmpty();
        assertThat(server.pollAt(now)).contains(now.plusSeconds(1));
        List<TcpRepr> probe = pollAt(now.plusSeconds(1));
        assertThat(probe).extracting(s -> s.payloadLength()).containsExactly(1);

        List<TcpRepr> rest = send(seg(PEER_ISS + 1, serverIss + 2, ACK, 100, ""));

        assertThat(rest).extracting(s -> s.payloadLength()).containsExactly(9);
    }

    @Test
    void retransmitsUnacknowledgedDataWithExponentialBackoff() {
        TcpConnection c = handshake();
        c.write(ByteBuffer.wrap("data".getBytes()));
        Instant sent = now;
        TcpRepr original = pollAt(now).get(0);

        assertThat(pollAt(sent.plusMillis(999))).isEmpty();
        assertThat(pollAt(sent.plusSeconds(1))).containsExactly(original);
        assertThat(server.pollAt(now)).contains(sent.plusSeconds(3)); // the RTO doubled
        assertThat(pollAt(sent.plusSeconds(3))).containsExactly(original);
        assertThat(server.stats().tcpRetransmissions()).isEqualTo(2);
    }

    @Test
    void backsOffTheRtoByDoublingUpToSixtySeconds() {
        restartServer(handPlayed().withMaxRetransmissions(10));
        TcpConnection c = handshake();
        c.write(ByteBuffer.wrap("data".getBytes()));
        TcpRepr original = pollAt(now).getFirst();
        List<Long> intervals = new ArrayList<>();

        for (int i = 0; i < 9; i++) {
            Instant due = server.pollAt(now).orElseThrow();
            intervals.add(Duration.between(now, due).toSeconds());
            now = due.minusSeconds(1);
            announcePeer(); // keeps the peer's ARP entry fresh over the minutes this takes
            assertThat(pollAt(due)).containsExactly(original);
        }

        assertThat(intervals).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L); // RFC 6298 §5.5, §2.5
    }

    // ---- receiving ----

    @Test
    void deliversInOrderDataAndAcksIt() {
        TcpConnection c = handshake();

        List<TcpRepr> acks = send(seg(PEER_ISS + 1, serverIss + 1, ACK | TcpPacket.PSH, 65535, "hello"));

        assertThat(acks).hasSize(1);
        assertThat(acks.get(0).ackNumber()).isEqualTo(PEER_ISS + 6);
        assertThat(acks.get(0).window()).isEqualTo(65535 - 5);
        assertThat(text(c)).isEqualTo("hello");
    }

    @Test
    void holdsAnOutOfOrderSegmentAcksWhatItHasAndDeliversOnceTheHoleFills() {
        TcpConnection c = handshake();

        List<TcpRepr> acks = send(seg(PEER_ISS + 11, serverIss + 1, ACK, 65535, "later"));

        assertThat(acks).isNotEmpty().allSatisfy(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 1));
        assertThat(text(c)).isEmpty();
        List<TcpRepr> filled = send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "0123456789"));
        assertThat(filled).extracting(TcpRepr::ackNumber).containsExactly(PEER_ISS + 16);
        assertThat(text(c)).isEqualTo("0123456789later");
        assertThat(server.stats().drops(DropReason.TCP_OUT_OF_ORDER)).isZero();
    }

    @Test
    void takesOnlyTheNewPartOfAnOverlappingRetransmission() {
        TcpConnection c = handshake();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "hello"));

        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "hello world"));

        assertThat(text(c)).isEqualTo("hello world");
    }

    @Test
    void acksADuplicateSegmentWithoutDeliveringItTwice() {
        TcpConnection c = handshake();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "once"));

        List<TcpRepr> acks = send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "once"));

        assertThat(acks).extracting(TcpRepr::ackNumber).containsExactly(PEER_ISS + 5);
        assertThat(text(c)).isEqualTo("once");
    }

    @Test
    void neverTakesMoreThanTheReceiveBuffer() {
        restartServer(TcpConfig.defaults().withBuffers(8, 1024));
        TcpConnection c = handshake();

        List<TcpRepr> acks = send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "0123456789ABC"));

        assertThat(acks.get(acks.size() - 1).ackNumber()).isEqualTo(PEER_ISS + 9);
        assertThat(acks.get(acks.size() - 1).window()).isZero();
        assertThat(text(c)).isEqualTo("01234567");
        assertThat(pollAt(now)).extracting(TcpRepr::window).containsExactly(8); // the window update
    }

    @Test
    void readReturnsMinusOneOnceTheFinAndAllDataAreIn() {
        TcpConnection c = handshake();

        send(seg(PEER_ISS + 1, serverIss + 1, ACK | TcpPacket.FIN, 65535, "bye"));

        assertThat(c.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(text(c)).isEqualTo("bye");
        assertThat(c.read(ByteBuffer.allocate(10))).isEqualTo(-1);
    }

    // ---- RST and SYN checks (RFC 9293 §3.10.7.4, RFC 5961) ----

    @Test
    void anExactResetClosesTheConnection() {
        TcpSocket c = (TcpSocket) handshake();

        assertThat(send(seg(PEER_ISS + 1, 0, TcpPacket.RST, 0, ""))).isEmpty();

        assertThat(c.isClosed()).isTrue();
        assertThat(c.wasReset()).isTrue();
    }

    @Test
    void anInWindowResetNotAtRcvNxtEarnsAChallengeAck() {
        TcpConnection c = handshake();

        List<TcpRepr> out = send(seg(PEER_ISS + 100, 0, TcpPacket.RST, 0, ""));

        assertThat(out).extracting(TcpRepr::flags).containsExactly(ACK);
        assertThat(out.get(0).ackNumber()).isEqualTo(PEER_ISS + 1);
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(server.stats().drops(DropReason.TCP_CHALLENGED)).isEqualTo(1);
    }

    @Test
    void anOutOfWindowResetIsDroppedSilently() {
        TcpConnection c = handshake();

        assertThat(send(seg(PEER_ISS - 5000, 0, TcpPacket.RST, 0, ""))).isEmpty();

        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(server.stats().drops(DropReason.TCP_OUT_OF_WINDOW)).isEqualTo(1);
    }

    @Test
    void anAckOlderThanTheLargestWindowEarnsAChallengeAck() {
        TcpConnection c = handshake();

        List<TcpRepr> out = send(seg(PEER_ISS + 1, serverIss + 1 - 70_000, ACK, 65535, "data"));

        assertThat(out).singleElement().satisfies(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 1));
        assertThat(server.stats().drops(DropReason.TCP_CHALLENGED)).isEqualTo(1); // RFC 5961 §5.2
        assertThat(text(c)).isEmpty();
    }

    @Test
    void aSynOnAnEstablishedConnectionEarnsAChallengeAck() {
        TcpConnection c = handshake();

        List<TcpRepr> out = send(seg(PEER_ISS + 1, 0, TcpPacket.SYN, 65535, ""));

        assertThat(out).extracting(TcpRepr::flags).containsExactly(ACK);
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void anAckForDataNeverSentIsAckedAndDropped() {
        TcpConnection c = handshake();

        List<TcpRepr> out = send(seg(PEER_ISS + 1, serverIss + 5000, ACK, 65535, "x"));

        assertThat(out).extracting(TcpRepr::ackNumber).containsExactly(PEER_ISS + 1);
        assertThat(text(c)).isEmpty();
        assertThat(server.stats().drops(DropReason.TCP_UNACCEPTABLE_ACK)).isEqualTo(1);
    }

    @Test
    void answersAnAckToTheListenerWithAReset() {
        List<TcpRepr> out = send(seg(5, 777, ACK, 100, ""));

        assertThat(out).containsExactly(TcpRepr.of(80, PEER_PORT, 777, 0, TcpPacket.RST, 0, new byte[0]));
    }

    @Test
    void answersASynToAClosedPortWithResetAck() {
        TcpRepr syn = TcpRepr.of(PEER_PORT, 81, 42, 0, TcpPacket.SYN, 100, new byte[0]);

        List<TcpRepr> out = send(syn);

        assertThat(out).containsExactly(TcpRepr.of(81, PEER_PORT, 0, 43, TcpPacket.RST | ACK, 0, new byte[0]));
        assertThat(server.stats().drops(DropReason.TCP_NO_SOCKET)).isEqualTo(1);
    }

    @Test
    void neverAnswersAResetWithAReset() {
        assertThat(send(TcpRepr.of(PEER_PORT, 81, 42, 0, TcpPacket.RST, 0, new byte[0]))).isEmpty();
    }

    @Test
    void dropsSynsBeyondTheBacklogUntilOneIsAccepted() {
        restartServer(handPlayed().withBacklog(1).withSynCookies(false));
        handshakeFrom(40001);

        List<TcpRepr> refused = send(new TcpRepr(40002, 80, 1, 0, TcpPacket.SYN, 100, OptionalInt.empty(),
                OptionalInt.empty(), false, new byte[0]));
        assertThat(refused).isEmpty();
        assertThat(server.stats().drops(DropReason.TCP_BACKLOG_FULL)).isEqualTo(1);

        assertThat(listener.accept()).isNotNull();
        assertThat(send(TcpRepr.of(40002, 80, 1, 0, TcpPacket.SYN, 100, new byte[0]))).hasSize(1);
    }

    private void handshakeFrom(int port) {
        TcpRepr synAck = send(TcpRepr.of(port, 80, 1, 0, TcpPacket.SYN, 100, new byte[0])).get(0);
        send(TcpRepr.of(port, 80, 2, synAck.seqNumber() + 1, ACK, 100, new byte[0]));
    }

    // ---- closing ----

    @Test
    void timeWaitAcksARetransmittedFinAndRestartsItsTimer() {
        TcpConnection c = handshake();
        TcpRepr fin = closeIntoTimeWait(c);
        assertThat(server.pollAt(now)).contains(now.plusSeconds(2));

        now = now.plusSeconds(1);
        List<TcpRepr> ack = send(seg(PEER_ISS + 1, fin.seqNumber() + 1, ACK | TcpPacket.FIN, 65535, ""));

        assertThat(ack).extracting(TcpRepr::ackNumber).containsExactly(PEER_ISS + 2);
        assertThat(server.pollAt(now)).contains(now.plusSeconds(2));
        pollAt(now.plusSeconds(2));
        assertThat(c.isClosed()).isTrue();
        assertThat(server.pollAt(now)).isEmpty();
    }

    @Test
    void givesUpOnFinWait2WhenThePeerGoesQuiet() {
        restartServer(handPlayed().withFinWait2Timeout(Duration.ofSeconds(30)));
        TcpConnection c = handshake();
        c.shutdownOutput();
        TcpRepr fin = pollAt(now).get(0);
        send(seg(PEER_ISS + 1, fin.seqNumber() + 1, ACK, 65535, "still talking"));
        assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_2);
        assertThat(server.pollAt(now)).contains(now.plusSeconds(30));

        pollAt(now.plusSeconds(30));

        assertThat(c.isClosed()).isTrue();
        assertThat(text(c)).isEqualTo("still talking");
        assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }

    @Test
    void sendsTheFinOnlyAfterAllQueuedData() {
        TcpConnection c = handshake(OptionalInt.of(100), 65535);
        c.write(ByteBuffer.allocate(150));
        c.shutdownOutput();

        List<TcpRepr> out = pollAt(now);

        assertThat(out).extracting(TcpRepr::fin).containsExactly(false, true);
        assertThat(out.get(1).payloadBytes()).hasSize(50);
        assertThat(c.write(ByteBuffer.allocate(1))).isZero();
    }
}

