package morgana.kernel.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import morgana.netstack.phy.TestFrames;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.InternetChecksum;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {

    private static final int TCP_START = EthernetFrame.HEADER_LEN + 20;

    /** A checksummed Ethernet/IPv4/TCP frame with {@code payload} bytes. */
    private static byte[] tcpFrame(int payload) {
        return TestFrames.tcp(TcpRepr.of(80, 40000, 1000, 2000, TcpPacket.ACK, 512, pattern(payload))).array();
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    private static ByteBuffer withHeader(int flags, int gsoType, int csumStart, int csumOffset, byte[] frame) {
        ByteBuffer rx = ByteBuffer.allocate(VirtioNetHeader.LENGTH + frame.length).order(ByteOrder.nativeOrder());
        rx.put((byte) flags).put((byte) gsoType).putShort((short) 0).putShort((short) 0)
                .putShort((short) csumStart).putShort((short) csumOffset).put(frame).flip();
        return rx.order(ByteOrder.BIG_ENDIAN);
    }

    /** {@code frame} in a buffer as the device stages it: the header's room, then the frame. */
    private static ByteBuffer toSend(byte[] frame) {
        ByteBuffer tx = ByteBuffer.allocate(VirtioNetHeader.LENGTH + frame.length);
        tx.position(VirtioNetHeader.LENGTH);
        return tx.put(frame).flip();
    }

    private static int tcpChecksumSum(ByteBuffer frame) {
        int tcpLength = frame.remaining() - TCP_START;
        long sum = InternetChecksum.sum(frame, EthernetFrame.HEADER_LEN + 12, 8) + 6 + tcpLength
                + InternetChecksum.sum(frame, TCP_START, tcpLength);
        return InternetChecksum.finish(sum);
    }

    @Test
    void aPlainFrameComesOutAsItWent() {
        byte[] frame = tcpFrame(100);
        ByteBuffer rx = withHeader(0, 0, 0, 0, frame);

        assertThat(VirtioNetHeader.strip(rx, true)).isEqualTo(VirtioNetHeader.Received.FRAME);
        byte[] out = new byte[rx.remaining()];
        rx.get(out);
        assertThat(out).isEqualTo(frame);
    }

    @Test
    void aPartialChecksumIsCompletedFromCsumStart() {
        byte[] frame = tcpFrame(333);
        ByteBuffer f = ByteBuffer.wrap(frame);
        long pseudo = InternetChecksum.sum(f, EthernetFrame.HEADER_LEN + 12, 8) + 6 + (frame.length - TCP_START);
        f.putShort(TCP_START + 16, (short) ~InternetChecksum.finish(pseudo)); // what CHECKSUM_PARTIAL leaves
        ByteBuffer rx = withHeader(VirtioNetHeader.NEEDS_CSUM, 0, TCP_START, 16, frame);

        assertThat(VirtioNetHeader.strip(rx, true)).isEqualTo(VirtioNetHeader.Received.FRAME);
        assertThat(tcpChecksumSum(rx.slice())).as("a checksum that verifies").isZero();
    }

    @Test
    void aMergedTcpSegmentIsTakenWholeAndOtherKindsOrBadRangesAreDropped() {
        assertThat(VirtioNetHeader.strip(withHeader(0, VirtioNetHeader.GSO_TCPV4, 0, 0, tcpFrame(3000)), true))
                .isEqualTo(VirtioNetHeader.Received.SEGMENT);
        assertThat(VirtioNetHeader.strip(withHeader(0, 3 /* UDP */, 0, 0, tcpFrame(100)), true))
                .isEqualTo(VirtioNetHeader.Received.DROP);
        assertThat(VirtioNetHeader.strip(withHeader(VirtioNetHeader.NEEDS_CSUM, 0, 200, 16, tcpFrame(100)), true))
                .isEqualTo(VirtioNetHeader.Received.DROP);
        assertThat(VirtioNetHeader.strip(ByteBuffer.allocate(4), true)).isEqualTo(VirtioNetHeader.Received.DROP);
    }

    @Test
    void aSegmentToCutCarriesItsSizeHeadersAndThePseudoHeaderSum() {
        byte[] frame = tcpFrame(10_000);
        ByteBuffer tx = toSend(frame);

        assertThat(VirtioNetHeader.segmented(tx, VirtioNetHeader.LENGTH, 1448)).isTrue();

        assertThat(tx.position()).isZero();
        ByteBuffer h = tx.duplicate().order(ByteOrder.nativeOrder());
        assertThat(h.get(0)).isEqualTo((byte) VirtioNetHeader.NEEDS_CSUM);
        assertThat(h.get(1)).isEqualTo((byte) VirtioNetHeader.GSO_TCPV4);
        assertThat(h.getShort(2)).as("hdr_len").isEqualTo((short) (TCP_START + 20));
        assertThat(h.getShort(4)).as("gso_size").isEqualTo((short) 1448);
        assertThat(h.getShort(6)).as("csum_start").isEqualTo((short) TCP_START);
        assertThat(h.getShort(8)).as("csum_offset").isEqualTo((short) 16);
        // Completing the partial checksum, as the kernel does per piece, gives one that verifies.
        ByteBuffer f = tx.duplicate().position(VirtioNetHeader.LENGTH).slice();
        int completed = InternetChecksum.of(f, TCP_START, f.remaining() - TCP_START);
        f.putShort(TCP_START + 16, (short) completed);
        assertThat(tcpChecksumSum(f)).isZero();
    }

    @Test
    void aFrameThatIsNoTcpSegmentIsNotMarkedForCutting() {
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        ByteBuffer tx = toSend(arp);

        assertThat(VirtioNetHeader.segmented(tx, VirtioNetHeader.LENGTH, 1448)).isFalse();
        assertThat(tx.get(0)).isZero();
    }

    @Test
    void aFrameTheKernelMadeOrCheckedIsVouchedForAndLeftAsItCame() {
        byte[] frame = tcpFrame(200);
        ByteBuffer f = ByteBuffer.wrap(frame);
        f.putShort(TCP_START + 16, (short) 0x1234); // whatever: nobody completes it
        ByteBuffer partial = withHeader(VirtioNetHeader.NEEDS_CSUM, 0, TCP_START, 16, frame);
        ByteBuffer checked = withHeader(VirtioNetHeader.DATA_VALID, 0, 0, 0, tcpFrame(10));

        assertThat(VirtioNetHeader.vouched(partial)).isTrue();
        assertThat(VirtioNetHeader.vouched(checked)).isTrue();
        assertThat(VirtioNetHeader.vouched(withHeader(0, 0, 0, 0, tcpFrame(10)))).isFalse();
        assertThat(VirtioNetHeader.strip(partial, false)).isEqualTo(VirtioNetHeader.Received.FRAME);
        assertThat(partial.getShort(partial.position() + TCP_START + 16)).isEqualTo((short) 0x1234);
    }

    @Test
    void aTcpFrameSentWholeLeavesItsChecksumToTheKernelAndAnythingElseGetsAPlainHeader() {
        byte[] frame = tcpFrame(700);
        ByteBuffer tx = toSend(frame);

        VirtioNetHeader.checksummed(tx, VirtioNetHeader.LENGTH);

        assertThat(tx.position()).isZero();
        ByteBuffer h = tx.duplicate().order(ByteOrder.nativeOrder());
        assertThat(h.get(0)).isEqualTo((byte) VirtioNetHeader.NEEDS_CSUM);
        assertThat(h.get(1)).as("nothing to cut").isEqualTo((byte) VirtioNetHeader.GSO_NONE);
        assertThat(h.getShort(6)).as("csum_start").isEqualTo((short) TCP_START);
        assertThat(h.getShort(8)).as("csum_offset").isEqualTo((short) 16);
        ByteBuffer f = tx.duplicate().position(VirtioNetHeader.LENGTH).slice();
        f.putShort(TCP_START + 16, (short) InternetChecksum.of(f, TCP_START, f.remaining() - TCP_START));
        assertThat(tcpChecksumSum(f)).as("completed as the kernel does, it verifies").isZero();

        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        arp[0] = 1;
        ByteBuffer plain = ByteBuffer.allocate(VirtioNetHeader.LENGTH + arp.length);
        for (int i = 0; i < VirtioNetHeader.LENGTH; i++) {
            plain.put((byte) 0x55); // stale bytes from an earlier frame
        }
        plain.put(arp).flip();
        VirtioNetHeader.checksummed(plain, VirtioNetHeader.LENGTH);
        assertThat(plain.position()).isZero();
        for (int i = 0; i < VirtioNetHeader.LENGTH; i++) {
            assertThat(plain.get(i)).isZero();
        }
        assertThat(plain.get(VirtioNetHeader.LENGTH)).isEqualTo((byte) 1);
    }
}
