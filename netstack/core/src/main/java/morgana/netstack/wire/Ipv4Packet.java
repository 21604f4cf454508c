package morgana.netstack.wire;

import java.nio.ByteBuffer;

/** A view over an IPv4 packet (RFC 791 §3.1). */
public final class Ipv4Packet {

    public static final int MIN_HEADER_LEN = 20;
    static final int FLAG_DONT_FRAGMENT = 0x4000;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private final ByteBuffer buf;

    private Ipv4Packet(ByteBuffer buf) {
        this.buf = buf;
    }

    /**
     * Views the bytes between position and limit. Checks that the fixed header, the header the IHL declares
     * and the total length fit, so every accessor below is safe. The view ends at the total length: bytes
     * after it (Ethernet padding of short frames) are not part of the packet.
     */
    public static Ipv4Packet newChecked(ByteBuffer bytes) throws WireFormatException {
        ByteBuffer b = bytes.slice();
        if (b.limit() < MIN_HEADER_LEN) {
            throw new WireFormatException(WireError.IPV4_TRUNCATED);
        }
        Ipv4Packet p = new Ipv4Packet(b);
        if (p.version() != 4) {
            throw new WireFormatException(WireError.IPV4_BAD_VERSION);
        }
        int headerLen = p.headerLength();
        if (headerLen < MIN_HEADER_LEN || headerLen > b.limit()) {
            throw new WireFormatException(WireError.IPV4_BAD_HEADER_LENGTH);
        }
        int total = p.totalLength();
        if (total < headerLen || total > b.limit()) {
            throw new WireFormatException(WireError.IPV4_BAD_TOTAL_LENGTH);
        }
        return new Ipv4Packet(b.slice(0, total));
    }

    /** Views a buffer the caller sized for writing a header without options and its payload. */
    public static Ipv4Packet forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < MIN_HEADER_LEN) {
            throw new IllegalArgumentException("an IPv4 packet needs " + MIN_HEADER_LEN + " bytes");
        }
        return new Ipv4Packet(bytes.slice());
    }

    public int version() {
        return (buf.get(0) & 0xF0) >>> 4;
    }

    /** The header length in bytes (IHL times four). */
    public int headerLength() {
        return (buf.get(0) & 0x0F) * 4;
    }

    public int totalLength() {
        return buf.getShort(2) & 0xFFFF;
    }

    public int identification() {
        return buf.getShort(4) & 0xFFFF;
    }

    public boolean dontFragment() {
        return (buf.getShort(6) & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (buf.getShort(6) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** The fragment offset in bytes. */
    public int fragmentOffset() {
        return (buf.getShort(6) & FRAGMENT_OFFSET_MASK) * 8;
    }

    public int ttl() {
        return buf.get(8) & 0xFF;
    }

    public int protocol() {
        return buf.get(9) & 0xFF;
    }

    public int headerChecksum() {
        return buf.getShort(10) & 0xFFFF;
    }

    public Ipv4Address source() {
        return new Ipv4Address(buf.getInt(12));
    }

    public Ipv4Address destination() {
        return new Ipv4Address(buf.getInt(16));
    }

    /** True when the header checksum over the whole header (options included) verifies (RFC 791 §3.1). */
    public boolean verifyChecksum() {
        return InternetChecksum.of(buf, 0, headerLength()) == 0;
    }

    /** The whole packet, header to total length (what an ICMP error quotes). */
    public ByteBuffer bytes() {
        return buf.duplicate();
    }

    /** The bytes after the header (options skipped) up to the total length. */
    public ByteBuffer payload() {
        return buf.slice(headerLength(), totalLength() - headerLength());
    }

    void writeHeader(int totalLength, int identification, int ttl, int protocol, Ipv4Address src, Ipv4Address dst) {
        writeHeader(totalLength, identification, FLAG_DONT_FRAGMENT, ttl, protocol, src, dst);
    }

    void writeHeader(int totalLength, int identification, int flagsAndOffset, int ttl, int protocol, Ipv4Address src,
                     Ipv4Address dst) {
        buf.put(0, (byte) 0x45);
        buf.put(1, (byte) 0);
        buf.putShort(2, (short) totalLength);
        buf.putShort(4, (short) identification);
        buf.putShort(6, (short) flagsAndOffset);
        buf.put(8, (byte) ttl);
        buf.put(9, (byte) protocol);
        buf.putShort(10, (short) 0);
        buf.putInt(12, src.bits());
        buf.putInt(16, dst.bits());
        buf.putShort(10, (short) InternetChecksum.of(buf, 0, MIN_HEADER_LEN));
    }

    /** The payload area of a packet being written (after a 20-byte header). */
    public ByteBuffer payloadForWriting() {
        return buf.slice(MIN_HEADER_LEN, buf.limit() - MIN_HEADER_LEN);
    }
}
