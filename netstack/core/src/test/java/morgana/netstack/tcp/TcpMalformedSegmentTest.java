package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.TcpPacket;
import org.junit.jupiter.api.Test;

/**
 * Malformed headers and options (RFC 9293 §3.1, §3.2): every shape is a counted drop with no answer and no
 * exception, never a loop; an unknown option is skipped by its length.
 */
class TcpMalformedSegmentTest extends HandPlayedServer {

    @Test
    void dropsMssOptionWithLengthZero() {
        assertMalformedDropped(new byte[] {2, 0, 0, 0}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsMssOptionWithLengthOne() {
        assertMalformedDropped(new byte[] {2, 1, 0, 0}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsOptionLengthPastTheHeader() {
        assertMalformedDropped(new byte[] {1, 1, 2, 8}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsASackOptionWhoseBlocksDoNotFitItsLength() {
        assertMalformedDropped(new byte[] {1, 1, 5, 6, 0, 0, 0, 1}, 7, DropReason.TCP_BAD_SACK_OPTION);
    }

    @Test
    void dropsASackOptionWithoutBlocks() {
        assertMalformedDropped(new byte[] {5, 2, 1, 1}, 6, DropReason.TCP_BAD_SACK_OPTION);
    }

    @Test
    void dropsTimestampsWithTheWrongLength() {
        assertMalformedDropped(new byte[] {8, 6, 0, 0, 0, 1, 1, 1}, 7, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsAnUnknownOptionWithLengthZeroInsteadOfLooping() {
        assertMalformedDropped(new byte[] {99, 0, 1, 1}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void acceptsASynWhoseUnknownOptionIsSkippedByItsLength() {
        inject(rawTcpFrame(PEER_ISS, 0, TcpPacket.SYN, 7, new byte[] {30, 4, 9, 9, 2, 4, 0x05, (byte) 0xB4},
                new byte[0]));

        assertThat(received()).singleElement().satisfies(synAck -> {
            assertThat(synAck.syn()).isTrue();
            assertThat(synAck.maxSegmentSize()).hasValue(1460);
        });
    }

    @Test
    void dropsDataOffsetBelowFive() {
        assertMalformedDropped(new byte[0], 4, DropReason.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void dropsDataOffsetPastTheSegment() {
        assertMalformedDropped(new byte[0], 15, DropReason.TCP_BAD_DATA_OFFSET);
    }

    @Test
    void dropsABadChecksum() {
        byte[] frame = rawTcpFrame(PEER_ISS, 0, TcpPacket.SYN, 5, new byte[0], new byte[0]);
        frame[frame.length - 3] ^= 0x40; // the window field

        inject(frame);

        assertThat(received()).isEmpty();
        assertThat(server.stats().drops(DropReason.TCP_BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void dropsATruncatedHeader() {
        byte[] body = new byte[12];
        inject(TestFrames.ipv4(PEER_MAC, SERVER_MAC, Ipv4Repr.of(PEER_IP, SERVER_IP, IpProtocol.TCP, body.length), body));

        assertThat(received()).isEmpty();
        assertThat(server.stats().drops(DropReason.TCP_TRUNCATED)).isEqualTo(1);
    }

    @Test
    void dropsAnUnknownOptionWithLengthOne() {
        assertMalformedDropped(new byte[] {99, 1, 1, 1}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsAKindWhoseLengthByteIsPastTheHeader() {
        assertMalformedDropped(new byte[] {1, 1, 1, 2}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsMssWithTheWrongLength() {
        assertMalformedDropped(new byte[] {2, 3, 5, 1}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsWindowScaleWithTheWrongLength() {
        assertMalformedDropped(new byte[] {3, 4, 7, 1}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsSackPermittedWithTheWrongLength() {
        assertMalformedDropped(new byte[] {4, 3, 1, 1}, 6, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsASackOptionClaimingMoreBlocksThanTheHeaderHolds() {
        byte[] options = new byte[40];
        options[0] = 5;
        options[1] = 2 + 5 * 8; // five blocks: 42 bytes, past the 40 an option area can have
        assertMalformedDropped(options, 15, DropReason.TCP_BAD_OPTION_LENGTH);
    }

    @Test
    void dropsASackOptionOfFourBlocksAndAHalf() {
        byte[] options = new byte[40];
        options[0] = 1;
        options[1] = 1;
        options[2] = 5;
        options[3] = 2 + 4 * 8 + 4; // 38: the blocks do not fill it exactly
        assertMalformedDropped(options, 15, DropReason.TCP_BAD_SACK_OPTION);
    }

    @Test
    void aMalformedOptionOnAnEstablishedConnectionDropsOnlyThatSegment() {
        TcpConnection c = handshake();

        inject(rawTcpFrame(PEER_ISS + 1, serverIss + 1, ACK, 6, new byte[] {5, 2, 1, 1}, "lost".getBytes()));

        assertThat(received()).isEmpty();
        assertThat(server.stats().drops(DropReason.TCP_BAD_SACK_OPTION)).isEqualTo(1);
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(text(c)).isEmpty();
        assertThat(send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "kept"))).isNotEmpty();
        assertThat(text(c)).isEqualTo("kept");
    }

    private void assertMalformedDropped(byte[] options, int dataOffsetWords, DropReason reason) {
        inject(rawTcpFrame(PEER_ISS, 0, TcpPacket.SYN, dataOffsetWords, options, new byte[0]));

        assertThat(received()).isEmpty();
        assertThat(server.stats().drops(reason)).isEqualTo(1);
        assertThat(listener.accept()).isNull();
        assertThat(server.pollAt(now)).isEmpty();
    }
}
