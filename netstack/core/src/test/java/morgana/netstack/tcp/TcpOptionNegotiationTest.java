package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import morgana.netstack.wire.TcpOption;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** What the SYNs negotiate (RFC 9293 §3.7.1, RFC 7323, RFC 2018), played by hand against the server stack. */
class TcpOptionNegotiationTest extends HandPlayedServer {

    TcpRepr synWith(int mss, OptionalInt scale, boolean sack, boolean stamps) {
        return new TcpRepr(PEER_PORT, 80, PEER_ISS, 0, TcpPacket.SYN, 65535, OptionalInt.of(mss), scale, sack,
                stamps ? Optional.of(new TcpOption.Timestamps(777, 0)) : Optional.empty(), List.of(), new byte[0]);
    }

    TcpSocket establish(TcpRepr syn) {
        TcpRepr synAck = send(syn).getFirst();
        serverIss = synAck.seqNumber();
        TcpRepr ack = seg(PEER_ISS + 1, serverIss + 1, ACK, 1, "");
        if (syn.timestamps().isPresent()) {
            ack = ack.withTimestamps(778, synAck.timestamps().orElseThrow().value());
        }
        send(ack);
        return (TcpSocket) listener.accept();
    }

    @Test
    void answersWindowScaleSackAndTimestampsWhenTheSynOffersThem() {
        TcpRepr synAck = send(synWith(1460, OptionalInt.of(7), true, true)).getFirst();

        assertThat(synAck.windowScale()).isPresent();
        assertThat(synAck.sackPermitted()).isTrue();
        assertThat(synAck.timestamps()).hasValueSatisfying(t -> assertThat(t.echoReply()).isEqualTo(777));
        assertThat(synAck.maxSegmentSize()).hasValue(1460);
    }

    @Test
    void answersNoOptionTheSynDidNotOffer() {
        TcpRepr synAck = send(synWith(1460, OptionalInt.empty(), false, false)).getFirst();

        assertThat(synAck.windowScale()).isEmpty();
        assertThat(synAck.sackPermitted()).isFalse();
        assertThat(synAck.timestamps()).isEmpty();
    }

    @Test
    void clampsAWindowScaleAbove14To14() {
        TcpSocket c = establish(synWith(1460, OptionalInt.of(15), false, false));

        assertThat(c.sendShift()).isEqualTo(14);
        assertThat(c.sendWindow()).isEqualTo(1L << 14); // the ACK's window of 1, scaled
    }

    @Test
    void clampsThePeersMssToOurOwnAbove() {
        assertThat(establish(synWith(9000, OptionalInt.empty(), false, false)).sendMss()).isEqualTo(1460);
    }

    @Test
    void clampsThePeersMssToAFloorBelow() {
        assertThat(establish(synWith(1, OptionalInt.empty(), false, false)).sendMss()).isEqualTo(TcpSocket.MIN_MSS);
    }

    @Test
    void timestampsTakeTwelveBytesOfEveryFullSegment() {
        TcpSocket c = establish(synWith(1000, OptionalInt.empty(), false, true).withSynOptions(1000,
                OptionalInt.empty(), false));
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "").withTimestamps(779, 1));

        c.write(ByteBuffer.allocate(2000));
        List<TcpRepr> out = pollAt(now);

        assertThat(c.timestampsOn()).isTrue();
        assertThat(out).extracting(s -> s.payloadLength()).containsExactly(988, 988, 24);
        assertThat(out).allSatisfy(s -> assertThat(s.timestamps()).hasValueSatisfying(
                t -> assertThat(t.echoReply()).isEqualTo(779)));
    }

    @Test
    void sendsSackBlocksForDataHeldOutOfOrder() {
        establish(synWith(1460, OptionalInt.empty(), true, false));

        List<TcpRepr> first = send(seg(PEER_ISS + 101, serverIss + 1, ACK, 65535, "x".repeat(100)));
        List<TcpRepr> second = send(seg(PEER_ISS + 301, serverIss + 1, ACK, 65535, "y".repeat(100)));

        assertThat(first).singleElement().satisfies(a -> assertThat(a.sackBlocks())
                .containsExactly(new TcpOption.SackBlock(PEER_ISS + 101, PEER_ISS + 201)));
        // the most recent block first (RFC 2018 §4)
        assertThat(second).singleElement().satisfies(a -> assertThat(a.sackBlocks()).containsExactly(
                new TcpOption.SackBlock(PEER_ISS + 301, PEER_ISS + 401),
                new TcpOption.SackBlock(PEER_ISS + 101, PEER_ISS + 201)));
    }

    @Test
    void reportsARepeatedSegmentAsTheFirstBlockOfADuplicateSack() {
        establish(synWith(1460, OptionalInt.empty(), true, false));
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "a".repeat(100)));
        send(seg(PEER_ISS + 201, serverIss + 1, ACK, 65535, "c".repeat(100)));

        List<TcpRepr> again = send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "a".repeat(100)));
        List<TcpRepr> next = send(seg(PEER_ISS + 401, serverIss + 1, ACK, 65535, "e".repeat(100)));

        // RFC 2883 §4: the duplicate first, then the out-of-order data still held; once, not on every ACK after
        assertThat(again).singleElement().satisfies(a -> assertThat(a.sackBlocks()).containsExactly(
                new TcpOption.SackBlock(PEER_ISS + 1, PEER_ISS + 101),
                new TcpOption.SackBlock(PEER_ISS + 201, PEER_ISS + 301)));
        assertThat(next).singleElement().satisfies(a -> assertThat(a.sackBlocks()).containsExactly(
                new TcpOption.SackBlock(PEER_ISS + 401, PEER_ISS + 501),
                new TcpOption.SackBlock(PEER_ISS + 201, PEER_ISS + 301)));
    }

    @Test
    void sendsNoDuplicateSackWithoutSackPermitted() {
        establish(synWith(1460, OptionalInt.empty(), false, false));
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "a".repeat(100)));

        List<TcpRepr> again = send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "a".repeat(100)));

        assertThat(again).singleElement().satisfies(a -> {
            assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 101);
            assertThat(a.sackBlocks()).isEmpty();
        });
    }

    @Test
    void dropsASegmentWithAnOlderTimestampAndAcksIt() {
        TcpSocket c = establish(synWith(1460, OptionalInt.empty(), false, true));
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "new").withTimestamps(5000, 1));

        List<TcpRepr> answer = send(seg(PEER_ISS + 4, serverIss + 1, ACK, 65535, "old").withTimestamps(4000, 1));

        assertThat(answer).singleElement().satisfies(a -> assertThat(a.ackNumber()).isEqualTo(PEER_ISS + 4));
        assertThat(server.stats().drops(morgana.netstack.iface.DropReason.TCP_PAWS_REJECTED)).isEqualTo(1);
        assertThat(text(c)).isEqualTo("new");
    }
}
