package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import morgana.netstack.phy.TcpSegmentation;
import morgana.netstack.wire.InternetChecksum;

/**
 * The header a TAP opened with {@code IFF_VNET_HDR} puts before every frame (struct virtio_net_hdr,
 * linux/virtio_net.h; the virtio spec §5.1.6), in the host's byte order:
 * <pre>
 *   u8 flags        1 = NEEDS_CSUM: the checksum at csum_start + csum_offset holds only the pseudo-header sum;
 *                   2 = DATA_VALID: the kernel checked the checksum
 *   u8 gso_type     0 = none, 1 = TCPV4: the frame is one TCP segment for the kernel to cut into gso_size pieces
 *   u16 hdr_len     Ethernet + IPv4 + TCP header bytes
 *   u16 gso_size    payload bytes per piece
 *   u16 csum_start  where the checksummed range starts (the TCP header)
 *   u16 csum_offset where in it the checksum field is (16 for TCP)
 * </pre>
 */
final class VirtioNetHeader {

    static final int LENGTH = 10;
    static final int NEEDS_CSUM = 1;
    static final int DATA_VALID = 2;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_ECN = 0x80;

    private static final int ETHERNET_HEADER = 14;
    private static final int TCP = 6;
    private static final int TCP_CHECKSUM = 16;

    private VirtioNetHeader() {}

    /** Writes the header of a frame that needs nothing done, at {@code tx}'s position. */
    static void plain(ByteBuffer tx) {
        for (int i = 0; i < LENGTH; i++) {
            tx.put((byte) 0);
        }
    }

    /** Whether the kernel made (NEEDS_CSUM) or checked (DATA_VALID) the transport checksum of the frame in {@code rx}. */
    static boolean vouched(ByteBuffer rx) {
        return rx.remaining() >= LENGTH && (rx.get(rx.position()) & (NEEDS_CSUM | DATA_VALID)) != 0;
    }

    /** What {@link #strip} found. */
    enum Received { DROP, FRAME, SEGMENT }

    /**
     * Removes the header from the frame in {@code rx} (position 0, limit its end), completing a checksum left
     * to us (NEEDS_CSUM) if {@code complete}. A TCPV4 frame is one segment the kernel merged (GRO) and may be larger than the
     * link: the stack takes it whole. DROP for a frame we cannot take: another kind of segment, or a checksum
     * range outside the frame.
     */
    static Received strip(ByteBuffer rx, boolean complete) {
        if (rx.remaining() < LENGTH) {
            return Received.DROP;
        }
        ByteBuffer h = rx.duplicate().order(ByteOrder.nativeOrder());
        int flags = h.get(0) & 0xFF;
        int gsoType = h.get(1) & 0xFF;
        int csumStart = h.getShort(6) & 0xFFFF;
        int csumOffset = h.getShort(8) & 0xFFFF;
        rx.position(LENGTH);
        ByteBuffer frame = rx.slice();
        int kind = gsoType & ~GSO_ECN;
        if (kind != GSO_NONE && kind != GSO_TCPV4) {
            return Received.DROP;
        }
        if ((flags & NEEDS_CSUM) != 0) {
            if (csumStart + csumOffset + 2 > frame.limit()) {
                return Received.DROP;
            }
            if (!complete) {
                return kind == GSO_TCPV4 ? Received.SEGMENT : Received.FRAME;
            }
            // The field holds the pseudo-header's sum: the sum over the range with it is the full one.
            int checksum = InternetChecksum.of(frame, csumStart, frame.limit() - csumStart);
            frame.putShort(csumStart + csumOffset, (short) checksum);
        }
        return kind == GSO_TCPV4 ? Received.SEGMENT : Received.FRAME;
    }

    /**
     * Makes {@code tx} (an IPv4 TCP frame from {@code start}, with {@link #LENGTH} bytes free before it and the
     * limit at its end) a segment for the kernel to cut into {@code segmentSize} pieces: writes the header
     * and leaves only the pseudo-header sum in the TCP checksum, as the kernel expects of a partial checksum.
     * Returns false, changing nothing, when the frame is not an IPv4 TCP segment.
     */
    static boolean segmented(ByteBuffer tx, int start, int segmentSize) {
        return partial(tx, start, GSO_TCPV4, segmentSize);
    }

    /**
     * Writes the header of the frame in {@code tx} from {@code start} (as {@link #segmented}, the header's room
     * before it): for an unfragmented IPv4 TCP segment, one that leaves its checksum to the kernel, over the
     * pseudo-header sum written into it (whatever the field held); for anything else, a plain one. Leaves
     * {@code tx}'s position at the header.
     */
    static void checksummed(ByteBuffer tx, int start) {
        if (!partial(tx, start, GSO_NONE, 0)) {
            plain(tx.position(start - LENGTH));
            tx.position(start - LENGTH);
        }
    }

    private static boolean partial(ByteBuffer tx, int start, int gsoType, int segmentSize) {
        ByteBuffer f = tx.duplicate().position(start).slice().order(ByteOrder.BIG_ENDIAN);
        TcpSegmentation.Layout layout = TcpSegmentation.Layout.of(f).orElse(null);
        if (layout == null || layout.frameLength() != f.limit()) {
            return false;
        }
        int tcpStart = layout.tcpStart();
        long pseudo = InternetChecksum.pseudoHeaderSum(f, ETHERNET_HEADER, TCP, layout.tcpLength());
        f.putShort(tcpStart + TCP_CHECKSUM, (short) ~InternetChecksum.finish(pseudo)); // folded, not complemented
        ByteBuffer h = tx.duplicate().order(ByteOrder.nativeOrder());
        int at = start - LENGTH;
        h.put(at, (byte) NEEDS_CSUM);
        h.put(at + 1, (byte) gsoType);
        h.putShort(at + 2, (short) layout.headersEnd());
        h.putShort(at + 4, (short) segmentSize);
        h.putShort(at + 6, (short) tcpStart);
        h.putShort(at + 8, (short) TCP_CHECKSUM);
        tx.position(at);
        return true;
    }
}
