package morgana.netstack.phy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import morgana.netstack.wire.InternetChecksum;

/**
 * TCP segmentation done in software (what Linux calls GSO): an Ethernet frame carrying one IPv4 TCP segment
 * larger than the link, cut into frames whose payloads are {@code segmentSize} bytes (the last one the rest).
 * Each piece gets the headers of the original with its own IPv4 length, identification (counting up, as
 * RFC 6864 allows for atomic datagrams) and checksum, its own sequence number and TCP checksum; FIN and PSH
 * stay on the last piece only, CWR on the first only (RFC 3168 §6.1.2). This is what a device without
 * segmentation offload does with {@link Device#transmitSegmented}, and what the kernel does beneath a TAP
 * that has it.
 */
public final class TcpSegmentation {

    private static final int ETHERNET_HEADER = 14;
    private static final int TCP = 6;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private TcpSegmentation() {}

    /**
     * The pieces of the frame between {@code frame}'s position and limit, each a new buffer; the frame itself
     * when it is not an unfragmented IPv4 TCP segment or already fits in one piece.
     *
     * @throws IllegalArgumentException when {@code segmentSize} is not positive
     */
    public static List<ByteBuffer> split(ByteBuffer frame, int segmentSize) {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("a segment carries at least 1 byte, not " + segmentSize);
        }
        ByteBuffer f = frame.slice().order(java.nio.ByteOrder.BIG_ENDIAN);
        Layout layout = Layout.of(f).orElse(null);
        if (layout == null || layout.payloadLength() <= segmentSize) {
            return List.of(frame);
        }
        int ipHeader = layout.ipHeaderLength();
        int tcpStart = layout.tcpStart();
        int tcpHeader = layout.tcpHeaderLength();
        int headers = layout.headersEnd();
        int payload = layout.payloadLength();
        int seq = f.getInt(tcpStart + 4);
        int flags = f.get(tcpStart + 13) & 0xFF;
        int id = f.getShort(ETHERNET_HEADER + 4) & 0xFFFF;
        var pieces = new ArrayList<ByteBuffer>((payload + segmentSize - 1) / segmentSize);
        for (int offset = 0, n = 0; offset < payload; offset += segmentSize, n++) {
            int size = Math.min(segmentSize, payload - offset);
            boolean first = offset == 0;
            boolean last = offset + size == payload;
            ByteBuffer piece = ByteBuffer.allocate(headers + size);
            piece.put(0, f, 0, headers).put(headers, f, headers + offset, size);
            piece.putShort(ETHERNET_HEADER + 2, (short) (ipHeader + tcpHeader + size));
            piece.putShort(ETHERNET_HEADER + 4, (short) (id + n));
            piece.putShort(ETHERNET_HEADER + 10, (short) 0);
            piece.putShort(ETHERNET_HEADER + 10, (short) InternetChecksum.of(piece, ETHERNET_HEADER, ipHeader));
            piece.putInt(tcpStart + 4, seq + offset);
            int pieceFlags = flags & ~(last ? 0 : FIN | PSH) & ~(first ? 0 : CWR);
            piece.put(tcpStart + 13, (byte) pieceFlags);
            piece.putShort(tcpStart + 16, (short) 0);
            long sum = InternetChecksum.pseudoHeaderSum(piece, ETHERNET_HEADER, TCP, tcpHeader + size)
                    + InternetChecksum.sum(piece, tcpStart, tcpHeader + size);
            piece.putShort(tcpStart + 16, (short) InternetChecksum.finish(sum));
            pieces.add(piece);
        }
        return pieces;
    }

    /**
     * Where the headers of an unfragmented IPv4 TCP segment lie in an Ethernet frame: what both this class and
     * a device that hands the cutting to the kernel need to know. A device that reads the layout of every frame
     * it sends keeps one and {@linkplain #read reads} each frame into it; {@link #of} makes one.
     */
    public static final class Layout {
        private int ipHeaderLength;
        private int ipTotalLength;
        private int tcpStart;
        private int tcpHeaderLength;

        /** A layout that has read no frame yet: {@link #read} one into it. */
        public Layout() {
        }

        /**
         * The layout of the frame in {@code f} (from index 0 to its limit): empty unless it is an unfragmented
         * IPv4 TCP segment whose IPv4 length fits the frame and whose headers lie inside it.
         */
        public static Optional<Layout> of(ByteBuffer f) {
            Layout layout = new Layout();
            return layout.read(f, 0, f.limit()) ? Optional.of(layout) : Optional.empty();
        }

        /**
         * Reads the layout of the {@code length}-byte frame at index {@code at} of {@code f}, in whatever byte
         * order the buffer is (the fields are read byte by byte, in network order); indexes it then reports
         * count from the frame's start. False, and the layout meaningless, for what {@link #of} finds empty.
         */
        public boolean read(ByteBuffer f, int at, int length) {
            if (length < ETHERNET_HEADER + 40 || u16(f, at + 12) != 0x0800 || (f.get(at + ETHERNET_HEADER) >> 4) != 4
                    || (f.get(at + ETHERNET_HEADER + 9) & 0xFF) != TCP || (u16(f, at + ETHERNET_HEADER + 6) & 0x3FFF) != 0) {
                return false;
            }
            int ipHeader = (f.get(at + ETHERNET_HEADER) & 0x0F) * 4;
            int ipTotal = u16(f, at + ETHERNET_HEADER + 2);
            int tcp = ETHERNET_HEADER + ipHeader;
            if (ipHeader < 20 || ipTotal > length - ETHERNET_HEADER || tcp + 20 > ETHERNET_HEADER + ipTotal) {
                return false;
            }
            int tcpHeader = ((f.get(at + tcp + 12) >> 4) & 0x0F) * 4;
            if (tcpHeader < 20 || tcp + tcpHeader > ETHERNET_HEADER + ipTotal) {
                return false;
            }
            ipHeaderLength = ipHeader;
            ipTotalLength = ipTotal;
            tcpStart = tcp;
            tcpHeaderLength = tcpHeader;
            return true;
        }

        private static int u16(ByteBuffer f, int at) {
            return ((f.get(at) & 0xFF) << 8) | (f.get(at + 1) & 0xFF);
        }

        /** The IPv4 header's length (IHL × 4). */
        public int ipHeaderLength() {
            return ipHeaderLength;
        }

        /** The IPv4 total length. */
        public int ipTotalLength() {
            return ipTotalLength;
        }

        /** The index of the TCP header in the frame. */
        public int tcpStart() {
            return tcpStart;
        }

        /** The TCP header's length (data offset × 4). */
        public int tcpHeaderLength() {
            return tcpHeaderLength;
        }

        /** Where the payload starts: Ethernet, IPv4 and TCP headers together. */
        public int headersEnd() {
            return tcpStart + tcpHeaderLength;
        }

        /** The TCP segment's length, header and payload, as the pseudo-header counts it. */
        public int tcpLength() {
            return ipTotalLength - ipHeaderLength;
        }

        public int payloadLength() {
            return tcpLength() - tcpHeaderLength;
        }

        /** The frame's length as its IPv4 header gives it. */
        public int frameLength() {
            return ETHERNET_HEADER + ipTotalLength;
        }
    }
}
