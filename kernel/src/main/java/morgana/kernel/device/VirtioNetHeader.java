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
        int flags = rx.get(0) & 0xFF;
        int gsoType = rx.get(1) & 0xFF;
        int csumStart = hostU16(rx, 6);
        int csumOffset = hostU16(rx, 8);
        rx.position(LENGTH);
        int frameLength = rx.limit() - LENGTH;
        int kind = gsoType & ~GSO_ECN;
        if (kind != GSO_NONE && kind != GSO_TCPV4) {
            return Received.DROP;
        }
        if ((flags & NEEDS_CSUM) != 0) {
            if (csumStart + csumOffset + 2 > frameLength) {
                return Received.DROP;
            }
            if (!complete) {
                return kind == GSO_TCPV4 ? Received.SEGMENT : Received.FRAME;
            }
            // The field holds the pseudo-header's sum: the sum over the range with it is the full one.
            int checksum = InternetChecksum.of(rx, LENGTH + csumStart, frameLength - csumStart);
            putNetworkU16(rx, LENGTH + csumStart + csumOffset, checksum);
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
        return segmented(tx, start, segmentSize, new TcpSegmentation.Layout());
    }

    /** As above, reading the frame into {@code layout} (a device keeps one for every frame it sends). */
    static boolean segmented(ByteBuffer tx, int start, int segmentSize, TcpSegmentation.Layout layout) {
        return partial(tx, start, GSO_TCPV4, segmentSize, layout);
    }

    /**
     * Writes the header of the frame in {@code tx} from {@code start} (as {@link #segmented}, the header's room
     * before it): for an unfragmented IPv4 TCP segment, one that leaves its checksum to the kernel, over the
     * pseudo-header sum written into it (whatever the field held); for anything else, a plain one. Leaves
     * {@code tx}'s position at the header.
     */
    static void checksummed(ByteBuffer tx, int start) {
        checksummed(tx, start, new TcpSegmentation.Layout());
    }

    /** As above, reading the frame into {@code layout}. */
    static void checksummed(ByteBuffer tx, int start, TcpSegmentation.Layout layout) {
        if (!partial(tx, start, GSO_NONE, 0, layout)) {
            plain(tx.position(start - LENGTH));
            tx.position(start - LENGTH);
        }
    }

    private static boolean partial(ByteBuffer tx, int start, int gsoType, int segmentSize, TcpSegmentation.Layout layout) {
        int frameLength = tx.limit() - start;
        if (!layout.read(tx, start, frameLength) || layout.frameLength() != frameLength) {
            return false;
        }
        int tcpStart = layout.tcpStart();
        long pseudo = InternetChecksum.pseudoHeaderSum(tx, start + ETHERNET_HEADER, TCP, layout.tcpLength());
        putNetworkU16(tx, start + tcpStart + TCP_CHECKSUM, ~InternetChecksum.finish(pseudo)); // folded, not complemented
        int at = start - LENGTH;
        tx.put(at, (byte) NEEDS_CSUM);
        tx.put(at + 1, (byte) gsoType);
        putHostU16(tx, at + 2, layout.headersEnd());
        putHostU16(tx, at + 4, segmentSize);
        putHostU16(tx, at + 6, tcpStart);
        putHostU16(tx, at + 8, TCP_CHECKSUM);
        tx.position(at);
        return true;
    }

    // The header's fields are in the host's order and the frame's in the network's, whatever order the buffer
    // reads in: byte by byte, rather than a view of the buffer in the right order for every frame.

    private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static int hostU16(ByteBuffer b, int at) {
        int first = b.get(at) & 0xFF;
        int second = b.get(at + 1) & 0xFF;
        return LITTLE_ENDIAN_HOST ? first | second << 8 : first << 8 | second;
    }

    private static void putHostU16(ByteBuffer b, int at, int value) {
        b.put(at, (byte) (LITTLE_ENDIAN_HOST ? value : value >>> 8));
        b.put(at + 1, (byte) (LITTLE_ENDIAN_HOST ? value >>> 8 : value));
    }

    private static void putNetworkU16(ByteBuffer b, int at, int value) {
        b.put(at, (byte) (value >>> 8));
        b.put(at + 1, (byte) value);
    }
}
