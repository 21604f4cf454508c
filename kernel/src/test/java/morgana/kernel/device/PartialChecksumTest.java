package morgana.kernel.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PartialChecksumTest {

    /** An Ethernet + IPv4 frame from 10.79.0.1 to 10.79.0.2 carrying {@code segment} as {@code protocol}. */
    private static ByteBuffer frame(int protocol, byte[] segment) {
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + segment.length);
        f.put(new byte[12]).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + segment.length)).putInt(0);
        f.put((byte) 64).put((byte) protocol).putShort((short) 0);
        f.put(new byte[] {10, 79, 0, 1}).put(new byte[] {10, 79, 0, 2});
        f.put(segment);
        return f;
    }

    /** The checksum the way RFC 1071 defines it, over a separately built pseudo-header and the segment. */
    private static short expected(ByteBuffer frame, int protocol, int checksumOffset) {
        int segmentLength = frame.capacity() - 34;
        ByteBuffer sum = ByteBuffer.allocate(12 + segmentLength + 1);
        sum.put(new byte[] {10, 79, 0, 1, 10, 79, 0, 2, 0, (byte) protocol}).putShort((short) segmentLength);
        byte[] segment = new byte[segmentLength];
        frame.get(34, segment);
        segment[checksumOffset] = 0;
        segment[checksumOffset + 1] = 0;
        sum.put(segment);
        return TestFrames.checksum(sum, 0, 12 + segmentLength);
    }

    @Test
    void completesATcpChecksumLeftAsThePseudoHeaderSum() {
        byte[] syn = new byte[25]; // a 20-byte header and an odd-length payload
        syn[0] = (byte) 0xC0; syn[1] = 0x01; syn[2] = 0x00; syn[3] = 0x07; // ports 49153 -> 7
        syn[12] = 0x50; syn[13] = 0x02; syn[14] = (byte) 0xFA; syn[15] = (byte) 0xF0; // SYN, window
        syn[20] = 'h'; syn[24] = 'o';
        ByteBuffer frame = frame(6, syn);
        frame.putShort(34 + 16, (short) 0x1234); // whatever the sender's offload left there

        assertThat(PartialChecksum.complete(frame, frame.capacity())).isTrue();

        assertThat(frame.getShort(34 + 16)).isEqualTo(expected(frame, 6, 16));
        assertThat(TestFrames.checksum(pseudoAndSegment(frame, 6), 0, 12 + 25)).isZero(); // verifies as a receiver would
    }

    @Test
    void readsTheFrameInNetworkOrderWhateverTheBuffersOrder() {
        ByteBuffer heap = frame(6, new byte[20]);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.capacity()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        direct.put(0, heap, 0, heap.capacity());

        assertThat(PartialChecksum.complete(direct, direct.capacity())).isTrue();

        assertThat(direct.order(java.nio.ByteOrder.BIG_ENDIAN).getShort(34 + 16)).isEqualTo(expected(heap, 6, 16));
    }

    @Test
    void completesAUdpChecksumAndNeverWritesZero() {
        ByteBuffer frame = frame(17, new byte[] {0x13, (byte) 0x88, 0x00, 0x35, 0x00, 0x0A, 0, 0, 'h', 'i'});

        assertThat(PartialChecksum.complete(frame, frame.capacity())).isTrue();

        short checksum = frame.getShort(34 + 6);
        assertThat(checksum).isEqualTo(expected(frame, 17, 6)).isNotZero();
    }

    @Test
    void leavesFragmentsAndOtherProtocolsAlone() {
        ByteBuffer icmp = frame(1, new byte[] {8, 0, 0x12, 0x34, 0, 1, 0, 1});
        assertThat(PartialChecksum.complete(icmp, icmp.capacity())).isFalse();
        assertThat(icmp.getShort(34 + 2)).isEqualTo((short) 0x1234);

        ByteBuffer fragment = frame(6, new byte[20]);
        fragment.putShort(14 + 6, (short) 0x2000); // more fragments
        fragment.putShort(34 + 16, (short) 0x4321);
        assertThat(PartialChecksum.complete(fragment, fragment.capacity())).isFalse();
        assertThat(fragment.getShort(34 + 16)).isEqualTo((short) 0x4321);

        ByteBuffer truncated = frame(6, new byte[20]);
        assertThat(PartialChecksum.complete(truncated, 40)).isFalse();
    }

    private static ByteBuffer pseudoAndSegment(ByteBuffer frame, int protocol) {
        int segmentLength = frame.capacity() - 34;
        ByteBuffer all = ByteBuffer.allocate(12 + segmentLength);
        all.put(new byte[] {10, 79, 0, 1, 10, 79, 0, 2, 0, (byte) protocol}).putShort((short) segmentLength);
        byte[] segment = new byte[segmentLength];
        frame.get(34, segment);
        return all.put(segment);
    }
}
