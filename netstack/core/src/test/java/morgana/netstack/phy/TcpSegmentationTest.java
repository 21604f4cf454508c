package morgana.netstack.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.InternetChecksum;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

class TcpSegmentationTest {

    static ByteBuffer frame(TcpRepr segment) {
        return TestFrames.tcp(segment);
    }

    private static TcpRepr parse(ByteBuffer piece) throws Exception {
        Ipv4Packet packet = Ipv4Packet.newChecked(piece.slice(EthernetFrame.HEADER_LEN, piece.limit() - EthernetFrame.HEADER_LEN));
        Ipv4Repr ip = Ipv4Repr.parse(packet); // verifies the header checksum
        return TcpRepr.parse(TcpPacket.newChecked(packet.payload()), ip.source(), ip.destination()); // and the TCP one
    }

    @Test
    void cutsASegmentIntoPiecesWithTheirOwnLengthsSequenceNumbersAndChecksums() throws Exception {
        byte[] payload = new byte[5000];
        new Random(1).nextBytes(payload);
        TcpRepr big = TcpRepr.of(80, 40000, 1_000_000, 77, TcpPacket.ACK | TcpPacket.PSH | TcpPacket.FIN | 0x80,
                512, payload).withTimestamps(11, 22);

        List<ByteBuffer> pieces = TcpSegmentation.split(frame(big), 1448);

        assertThat(pieces).hasSize(4);
        var joined = new ByteArrayOutputStream();
        int[] ids = new int[4];
        for (int i = 0; i < pieces.size(); i++) {
            ByteBuffer piece = pieces.get(i);
            assertThat(piece.remaining()).isLessThanOrEqualTo(EthernetFrame.HEADER_LEN + 1500);
            TcpRepr seg = parse(piece);
            assertThat(seg.seqNumber()).isEqualTo(1_000_000 + 1448 * i);
            assertThat(seg.ackNumber()).isEqualTo(77);
            assertThat(seg.timestamps()).isEqualTo(big.timestamps());
            boolean last = i == pieces.size() - 1;
            assertThat(seg.fin()).isEqualTo(last);
            assertThat((seg.flags() & TcpPacket.PSH) != 0).isEqualTo(last);
            assertThat((seg.flags() & 0x80) != 0).as("CWR on the first piece only").isEqualTo(i == 0);
            assertThat(seg.payloadLength()).isEqualTo(last ? 5000 - 3 * 1448 : 1448);
            joined.writeBytes(seg.payloadBytes());
            ids[i] = piece.getShort(EthernetFrame.HEADER_LEN + 4) & 0xFFFF;
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
        assertThat(ids[1]).isEqualTo(ids[0] + 1);
        assertThat(ids[3]).isEqualTo(ids[0] + 3);
    }

    @Test
    void leavesAFrameThatFitsOrIsNoTcpSegmentAsItIs() {
        ByteBuffer small = frame(TcpRepr.of(80, 40000, 1, 1, TcpPacket.ACK, 512, new byte[1000]));
        assertThat(TcpSegmentation.split(small, 1448)).containsExactly(small);

        ByteBuffer arp = ByteBuffer.allocate(60);
        arp.putShort(12, (short) 0x0806);
        assertThat(TcpSegmentation.split(arp, 100)).containsExactly(arp);

        ByteBuffer truncated = frame(TcpRepr.of(80, 40000, 1, 1, TcpPacket.ACK, 512, new byte[3000])).limit(1000);
        assertThat(TcpSegmentation.split(truncated, 500)).as("an IPv4 length past the frame").containsExactly(truncated);
    }

    @Test
    void refusesASegmentSizeBelowOne() {
        assertThatThrownBy(() -> TcpSegmentation.split(ByteBuffer.allocate(100), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theChecksumSumsEightBytesAtATimeAsItWouldTwo() {
        Random random = new Random(3);
        for (int n = 0; n < 500; n++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int length = bytes.length - offset == 0 ? 0 : random.nextInt(bytes.length - offset + 1);
            long expected = 0;
            for (int i = 0; i < length; i += 2) {
                expected += ((bytes[offset + i] & 0xFF) << 8) | (i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0);
            }
            assertThat(InternetChecksum.finish(InternetChecksum.sum(ByteBuffer.wrap(bytes), offset, length)))
                    .isEqualTo(InternetChecksum.finish(expected));
        }
    }
}
