package morgana.netstack.wire;

import java.nio.ByteBuffer;

/** A view over an ICMPv4 message (RFC 792): type, code, checksum, four bytes of "rest of header", data. */
public final class Icmpv4Packet {

    public static final int HEADER_LEN = 8;

    private final ByteBuffer buf;

    private Icmpv4Packet(ByteBuffer buf) {
        this.buf = buf;
    }

    public static Icmpv4Packet newChecked(ByteBuffer bytes) throws WireFormatException {
        ByteBuffer b = bytes.slice();
        if (b.limit() < HEADER_LEN) {
            throw new WireFormatException(WireError.ICMP_TRUNCATED);
        }
        return new Icmpv4Packet(b);
    }

    public static Icmpv4Packet forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < HEADER_LEN) {
            throw new IllegalArgumentException("an ICMP message needs " + HEADER_LEN + " bytes");
        }
        return new Icmpv4Packet(bytes.slice());
    }

    public int type() {
        return buf.get(0) & 0xFF;
    }

    public int code() {
        return buf.get(1) & 0xFF;
    }

    /** For echo messages: the identifier. */
    public int echoIdentifier() {
        return buf.getShort(4) & 0xFFFF;
    }

    /** For echo messages: the sequence number. */
    public int echoSequence() {
        return buf.getShort(6) & 0xFFFF;
    }

    /** The four bytes after the checksum ("rest of header"), whose meaning depends on the type. */
    public int restOfHeader() {
        return buf.getInt(4);
    }

    public boolean verifyChecksum() {
        return InternetChecksum.of(buf, 0, buf.limit()) == 0;
    }

    public byte[] data() {
        byte[] data = new byte[buf.limit() - HEADER_LEN];
        buf.get(HEADER_LEN, data);
        return data;
    }

    void write(int type, int code, int restOfHeader, byte[] data) {
        buf.put(0, (byte) type);
        buf.put(1, (byte) code);
        buf.putShort(2, (short) 0);
        buf.putInt(4, restOfHeader);
        buf.put(HEADER_LEN, data);
        buf.putShort(2, (short) InternetChecksum.of(buf, 0, HEADER_LEN + data.length));
    }

    void writeEcho(int type, int identifier, int sequence, byte[] data) {
        buf.put(0, (byte) type);
        buf.put(1, (byte) 0);
        buf.putShort(2, (short) 0);
        buf.putShort(4, (short) identifier);
        buf.putShort(6, (short) sequence);
        buf.put(HEADER_LEN, data);
        buf.putShort(2, (short) InternetChecksum.of(buf, 0, HEADER_LEN + data.length));
    }
}
