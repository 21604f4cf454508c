package morgana.netstack.wire;

import java.nio.ByteBuffer;

/**
 * A view over an IPv4 packet (RFC 791 §3.1), reading its buffer in place from the packet's first byte. One view
 * can be {@linkplain #rebind rebound} to the packet of frame after frame (see {@link EthernetFrame}).
 */
public final class Ipv4Packet {

    public static final int MIN_HEADER_LEN = 20;
    static final int FLAG_DONT_FRAGMENT = 0x4000;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private ByteBuffer buf;
    private int offset;
    /** The total length once checked; for a packet being written, the room the caller gave. */
    private int length;

    private Ipv4Packet() {
    }

    /** A view bound to nothing yet, for {@link #rebind} and {@link #rebindForWriting}. */
    public static Ipv4Packet unbound() {
        return new Ipv4Packet();
    }

    /**
     * Views the bytes between position and limit. Checks that the fixed header, the header the IHL declares
     * and the total length fit, so every accessor below is safe. The view ends at the total length: bytes
     * after it (Ethernet padding of short frames) are not part of the packet.
     */
    public static Ipv4Packet newChecked(ByteBuffer bytes) throws WireFormatException {
        return new Ipv4Packet().bind(bytes, bytes.position(), bytes.remaining());
    }

    /** This view, now over the packet {@code frame} carries; checked as {@link #newChecked}. */
    public Ipv4Packet rebind(EthernetFrame frame) throws WireFormatException {
        return bind(frame.buffer(), frame.offset() + EthernetFrame.HEADER_LEN, frame.length() - EthernetFrame.HEADER_LEN);
    }

    private Ipv4Packet bind(ByteBuffer bytes, int at, int available) throws WireFormatException {
        if (available < MIN_HEADER_LEN) {
            throw new WireFormatException(WireError.IPV4_TRUNCATED);
        }
        buf = bytes;
        offset = at;
        length = available;
        if (version() != 4) {
            throw new WireFormatException(WireError.IPV4_BAD_VERSION);
        }
        int headerLen = headerLength();
        if (headerLen < MIN_HEADER_LEN || headerLen > available) {
            throw new WireFormatException(WireError.IPV4_BAD_HEADER_LENGTH);
        }
        int total = totalLength();
        if (total < headerLen || total > available) {
            throw new WireFormatException(WireError.IPV4_BAD_TOTAL_LENGTH);
        }
        length = total;
        return this;
    }

    /** Views a buffer the caller sized for writing a header without options and its payload. */
    public static Ipv4Packet forWriting(ByteBuffer bytes) {
        return new Ipv4Packet().rebindForWriting(bytes, bytes.position(), bytes.remaining());
    }

    /** This view, now over {@code length} bytes of {@code bytes} from {@code at}, for writing a packet there. */
    public Ipv4Packet rebindForWriting(ByteBuffer bytes, int at, int length) {
        if (length < MIN_HEADER_LEN) {
            throw new IllegalArgumentException("an IPv4 packet needs " + MIN_HEADER_LEN + " bytes");
        }
        buf = bytes;
        offset = at;
        this.length = length;
        return this;
    }

    ByteBuffer buffer() {
        return buf;
    }

    int offset() {
        return offset;
    }

    /** How many bytes the view covers: the total length, or the room given for writing. */
    int length() {
        return length;
    }

    public int version() {
        return (buf.get(offset) & 0xF0) >>> 4;
    }

    /** The header length in bytes (IHL times four). */
    public int headerLength() {
        return (buf.get(offset) & 0x0F) * 4;
    }

    public int totalLength() {
        return buf.getShort(offset + 2) & 0xFFFF;
    }

    public int identification() {
        return buf.getShort(offset + 4) & 0xFFFF;
    }

    public boolean dontFragment() {
        return (buf.getShort(offset + 6) & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (buf.getShort(offset + 6) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** The fragment offset in bytes. */
    public int fragmentOffset() {
        return (buf.getShort(offset + 6) & FRAGMENT_OFFSET_MASK) * 8;
    }

    public int ttl() {
        return buf.get(offset + 8) & 0xFF;
    }

    public int protocol() {
        return buf.get(offset + 9) & 0xFF;
    }

    public int headerChecksum() {
        return buf.getShort(offset + 10) & 0xFFFF;
    }

    public Ipv4Address source() {
        return new Ipv4Address(sourceBits());
    }

    public Ipv4Address destination() {
        return new Ipv4Address(destinationBits());
    }

    /** The source address as {@link Ipv4Address#bits()}, read without making an address. */
    public int sourceBits() {
        return buf.getInt(offset + 12);
    }

    public int destinationBits() {
        return buf.getInt(offset + 16);
    }

    /** True when the header checksum over the whole header (options included) verifies (RFC 791 §3.1). */
    public boolean verifyChecksum() {
        return InternetChecksum.of(buf, offset, headerLength()) == 0;
    }

    /** The whole packet, header to total length (what an ICMP error quotes). */
    public ByteBuffer bytes() {
        return buf.slice(offset, length);
    }

    /** The bytes after the header (options skipped) up to the total length. */
    public ByteBuffer payload() {
        return buf.slice(offset + headerLength(), totalLength() - headerLength());
    }

    void writeHeader(int totalLength, int identification, int ttl, int protocol, Ipv4Address src, Ipv4Address dst) {
        writeHeader(totalLength, identification, FLAG_DONT_FRAGMENT, ttl, protocol, src, dst);
    }

    void writeHeader(int totalLength, int identification, int flagsAndOffset, int ttl, int protocol, Ipv4Address src,
                     Ipv4Address dst) {
        buf.put(offset, (byte) 0x45);
        buf.put(offset + 1, (byte) 0);
        buf.putShort(offset + 2, (short) totalLength);
        buf.putShort(offset + 4, (short) identification);
        buf.putShort(offset + 6, (short) flagsAndOffset);
        buf.put(offset + 8, (byte) ttl);
        buf.put(offset + 9, (byte) protocol);
        buf.putShort(offset + 10, (short) 0);
        buf.putInt(offset + 12, src.bits());
        buf.putInt(offset + 16, dst.bits());
        buf.putShort(offset + 10, (short) InternetChecksum.of(buf, offset, MIN_HEADER_LEN));
    }

    /** The payload area of a packet being written (after a 20-byte header). */
    public ByteBuffer payloadForWriting() {
        return buf.slice(offset + MIN_HEADER_LEN, length - MIN_HEADER_LEN);
    }
}
