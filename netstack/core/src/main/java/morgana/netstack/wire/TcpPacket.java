package morgana.netstack.wire;

import java.nio.ByteBuffer;

/** A view over a TCP segment (RFC 9293 §3.1). */
public final class TcpPacket {

    public static final int MIN_HEADER_LEN = 20;
    /** A data offset of 15 words (RFC 9293 §3.1). */
    public static final int MAX_HEADER_LEN = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private final ByteBuffer buf;

    private TcpPacket(ByteBuffer buf) {
        this.buf = buf;
    }

    /**
     * Views the bytes between position and limit; checks that the fixed header fits and that the data offset
     * is at least five words and inside the segment (RFC 9293 §3.1, "Data Offset").
     */
    public static TcpPacket newChecked(ByteBuffer bytes) throws WireFormatException {
        ByteBuffer b = bytes.slice();
        if (b.limit() < MIN_HEADER_LEN) {
            throw new WireFormatException(WireError.TCP_TRUNCATED);
        }
        TcpPacket p = new TcpPacket(b);
        int headerLen = p.headerLength();
        if (headerLen < MIN_HEADER_LEN || headerLen > b.limit()) {
            throw new WireFormatException(WireError.TCP_BAD_DATA_OFFSET);
        }
        return p;
    }

    public static TcpPacket forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < MIN_HEADER_LEN) {
            throw new IllegalArgumentException("a TCP segment needs " + MIN_HEADER_LEN + " bytes");
        }
        return new TcpPacket(bytes.slice());
    }

    public int length() {
        return buf.limit();
    }

    public int sourcePort() {
        return buf.getShort(0) & 0xFFFF;
    }

    public int destinationPort() {
        return buf.getShort(2) & 0xFFFF;
    }

    public int seqNumber() {
        return buf.getInt(4);
    }

    public int ackNumber() {
        return buf.getInt(8);
    }

    /** The header length in bytes (data offset times four). */
    public int headerLength() {
        return ((buf.get(12) & 0xF0) >>> 4) * 4;
    }

    /** The eight flag bits, CWR down to FIN. */
    public int flags() {
        return buf.get(13) & 0xFF;
    }

    public int window() {
        return buf.getShort(14) & 0xFFFF;
    }

    public int checksum() {
        return buf.getShort(16) & 0xFFFF;
    }

    public int urgentPointer() {
        return buf.getShort(18) & 0xFFFF;
    }

    /** The option bytes, between the fixed header and the data offset. */
    public ByteBuffer options() {
        return buf.slice(MIN_HEADER_LEN, headerLength() - MIN_HEADER_LEN);
    }

    public ByteBuffer payload() {
        return buf.slice(headerLength(), buf.limit() - headerLength());
    }

    /** True when the checksum over the pseudo-header and the whole segment verifies (RFC 9293 §3.1). */
    public boolean verifyChecksum(Ipv4Address source, Ipv4Address destination) {
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.TCP.value(), buf.limit())
                + InternetChecksum.sum(buf, 0, buf.limit());
        return InternetChecksum.finish(sum) == 0;
    }

    void writeHeader(int srcPort, int dstPort, int seq, int ack, int headerLen, int flags, int window) {
        buf.putShort(0, (short) srcPort);
        buf.putShort(2, (short) dstPort);
        buf.putInt(4, seq);
        buf.putInt(8, ack);
        buf.put(12, (byte) ((headerLen / 4) << 4));
        buf.put(13, (byte) flags);
        buf.putShort(14, (short) window);
        buf.putShort(16, (short) 0);
        buf.putShort(18, (short) 0);
    }

    /** Copies {@code bytes} from its position to its limit to {@code at}, leaving {@code bytes} as it was. */
    void put(int at, ByteBuffer bytes) {
        buf.put(at, bytes, bytes.position(), bytes.remaining());
    }

    void putInt(int at, int value) {
        buf.putInt(at, value);
    }

    void putByte(int at, int value) {
        buf.put(at, (byte) value);
    }

    /** The pseudo-header's sum, folded and not complemented: what a device that completes the checksum expects. */
    void fillPartialChecksum(Ipv4Address source, Ipv4Address destination) {
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.TCP.value(), buf.limit());
        buf.putShort(16, (short) ~InternetChecksum.finish(sum));
    }

    void fillChecksum(Ipv4Address source, Ipv4Address destination) {
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.TCP.value(), buf.limit())
                + InternetChecksum.sum(buf, 0, buf.limit());
        buf.putShort(16, (short) InternetChecksum.finish(sum));
    }
}
