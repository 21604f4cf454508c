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

    private ByteBuffer buf;
    private int offset;
    private int length;

    private TcpPacket() {
    }

    /** A view bound to nothing yet, for {@link #rebind} and {@link #rebindForWriting}. */
    public static TcpPacket unbound() {
        return new TcpPacket();
    }

    /**
     * Views the bytes between position and limit; checks that the fixed header fits and that the data offset
     * is at least five words and inside the segment (RFC 9293 §3.1, "Data Offset").
     */
    public static TcpPacket newChecked(ByteBuffer bytes) throws WireFormatException {
        return new TcpPacket().bind(bytes, bytes.position(), bytes.remaining());
    }

    /** This view, now over the segment {@code packet} carries (after its header, to its total length); checked as {@link #newChecked}. */
    public TcpPacket rebind(Ipv4Packet packet) throws WireFormatException {
        int headerLen = packet.headerLength();
        return bind(packet.buffer(), packet.offset() + headerLen, packet.totalLength() - headerLen);
    }

    private TcpPacket bind(ByteBuffer bytes, int at, int available) throws WireFormatException {
        if (available < MIN_HEADER_LEN) {
            throw new WireFormatException(WireError.TCP_TRUNCATED);
        }
        buf = bytes;
        offset = at;
        length = available;
        int headerLen = headerLength();
        if (headerLen < MIN_HEADER_LEN || headerLen > available) {
            throw new WireFormatException(WireError.TCP_BAD_DATA_OFFSET);
        }
        return this;
    }

    public static TcpPacket forWriting(ByteBuffer bytes) {
        return new TcpPacket().rebindForWriting(bytes);
    }

    /** This view, now over the bytes between position and limit of {@code bytes}, for writing a segment there. */
    public TcpPacket rebindForWriting(ByteBuffer bytes) {
        if (bytes.remaining() < MIN_HEADER_LEN) {
            throw new IllegalArgumentException("a TCP segment needs " + MIN_HEADER_LEN + " bytes");
        }
        buf = bytes;
        offset = bytes.position();
        length = bytes.remaining();
        return this;
    }

    public int length() {
        return length;
    }

    public int sourcePort() {
        return buf.getShort(offset) & 0xFFFF;
    }

    public int destinationPort() {
        return buf.getShort(offset + 2) & 0xFFFF;
    }

    public int seqNumber() {
        return buf.getInt(offset + 4);
    }

    public int ackNumber() {
        return buf.getInt(offset + 8);
    }

    /** The header length in bytes (data offset times four). */
    public int headerLength() {
        return ((buf.get(offset + 12) & 0xF0) >>> 4) * 4;
    }

    /** The eight flag bits, CWR down to FIN. */
    public int flags() {
        return buf.get(offset + 13) & 0xFF;
    }

    public int window() {
        return buf.getShort(offset + 14) & 0xFFFF;
    }

    public int checksum() {
        return buf.getShort(offset + 16) & 0xFFFF;
    }

    public int urgentPointer() {
        return buf.getShort(offset + 18) & 0xFFFF;
    }

    /** The buffer the segment is in; its first byte is at {@link #offset()}. For reading options in place. */
    ByteBuffer buffer() {
        return buf;
    }

    int offset() {
        return offset;
    }

    /**
     * Points {@code view} (a duplicate of {@link #buffer()}: the caller checks) at the payload: position and
     * limit around it. What a reader that keeps one payload view per receive buffer uses.
     */
    void payloadInto(ByteBuffer view) {
        view.limit(offset + length).position(offset + headerLength());
    }

    /** The option bytes, between the fixed header and the data offset. */
    public ByteBuffer options() {
        return buf.slice(offset + MIN_HEADER_LEN, headerLength() - MIN_HEADER_LEN);
    }

    public ByteBuffer payload() {
        return buf.slice(offset + headerLength(), length - headerLength());
    }

    /** True when the checksum over the pseudo-header and the whole segment verifies (RFC 9293 §3.1). */
    public boolean verifyChecksum(Ipv4Address source, Ipv4Address destination) {
        return verifyChecksum(source.bits(), destination.bits());
    }

    /** As above, with the addresses as {@link Ipv4Address#bits()}. */
    public boolean verifyChecksum(int source, int destination) {
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.TCP.value(), length)
                + InternetChecksum.sum(buf, offset, length);
        return InternetChecksum.finish(sum) == 0;
    }

    void writeHeader(int srcPort, int dstPort, int seq, int ack, int headerLen, int flags, int window) {
        buf.putShort(offset, (short) srcPort);
        buf.putShort(offset + 2, (short) dstPort);
        buf.putInt(offset + 4, seq);
        buf.putInt(offset + 8, ack);
        buf.put(offset + 12, (byte) ((headerLen / 4) << 4));
        buf.put(offset + 13, (byte) flags);
        buf.putShort(offset + 14, (short) window);
        buf.putShort(offset + 16, (short) 0);
        buf.putShort(offset + 18, (short) 0);
    }

    /** Copies {@code bytes} from its position to its limit to {@code at}, leaving {@code bytes} as it was. */
    void put(int at, ByteBuffer bytes) {
        buf.put(offset + at, bytes, bytes.position(), bytes.remaining());
    }

    void putInt(int at, int value) {
        buf.putInt(offset + at, value);
    }

    void putByte(int at, int value) {
        buf.put(offset + at, (byte) value);
    }

    /** The pseudo-header's sum, folded and not complemented: what a device that completes the checksum expects. */
    void fillPartialChecksum(Ipv4Address source, Ipv4Address destination) {
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.TCP.value(), length);
        buf.putShort(offset + 16, (short) ~InternetChecksum.finish(sum));
    }

    void fillChecksum(Ipv4Address source, Ipv4Address destination) {
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.TCP.value(), length)
                + InternetChecksum.sum(buf, offset, length);
        buf.putShort(offset + 16, (short) InternetChecksum.finish(sum));
    }
}
