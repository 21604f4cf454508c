package morgana.netstack.wire;

import java.nio.ByteBuffer;

/** A view over a UDP datagram (RFC 768): source port, destination port, length, checksum, data. */
public final class UdpPacket {

    public static final int HEADER_LEN = 8;

    private final ByteBuffer buf;

    private UdpPacket(ByteBuffer buf) {
        this.buf = buf;
    }

    /**
     * Views the bytes between position and limit. Checks that the header fits and that the length field covers
     * at least the header and at most the bytes given (RFC 768 "Length"); the view ends at that length, so an
     * IP payload longer than the datagram (padding) is not part of it.
     */
    public static UdpPacket newChecked(ByteBuffer bytes) throws WireFormatException {
        ByteBuffer b = bytes.slice();
        if (b.limit() < HEADER_LEN) {
            throw new WireFormatException(WireError.UDP_TRUNCATED);
        }
        int length = b.getShort(4) & 0xFFFF;
        if (length < HEADER_LEN || length > b.limit()) {
            throw new WireFormatException(WireError.UDP_BAD_LENGTH);
        }
        return new UdpPacket(b.slice(0, length));
    }

    public static UdpPacket forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < HEADER_LEN) {
            throw new IllegalArgumentException("a UDP datagram needs " + HEADER_LEN + " bytes");
        }
        return new UdpPacket(bytes.slice());
    }

    public int sourcePort() {
        return buf.getShort(0) & 0xFFFF;
    }

    public int destinationPort() {
        return buf.getShort(2) & 0xFFFF;
    }

    public int length() {
        return buf.getShort(4) & 0xFFFF;
    }

    public int checksum() {
        return buf.getShort(6) & 0xFFFF;
    }

    /**
     * True when the checksum is 0 (the sender computed none, RFC 768) or verifies over the pseudo-header and
     * the datagram.
     */
    public boolean verifyChecksum(Ipv4Address source, Ipv4Address destination) {
        if (checksum() == 0) {
            return true;
        }
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.UDP.value(), buf.limit())
                + InternetChecksum.sum(buf, 0, buf.limit());
        return InternetChecksum.finish(sum) == 0;
    }

    public ByteBuffer payload() {
        return buf.slice(HEADER_LEN, buf.limit() - HEADER_LEN);
    }

    void write(int sourcePort, int destinationPort, byte[] payload, Ipv4Address source, Ipv4Address destination) {
        int length = HEADER_LEN + payload.length;
        buf.putShort(0, (short) sourcePort);
        buf.putShort(2, (short) destinationPort);
        buf.putShort(4, (short) length);
        buf.putShort(6, (short) 0);
        buf.put(HEADER_LEN, payload);
        long sum = InternetChecksum.pseudoHeaderSum(source, destination, IpProtocol.UDP.value(), length)
                + InternetChecksum.sum(buf, 0, length);
        int checksum = InternetChecksum.finish(sum);
        // RFC 768: a computed checksum of zero is sent as all ones; zero means "none computed".
        buf.putShort(6, (short) (checksum == 0 ? 0xFFFF : checksum));
    }
}
