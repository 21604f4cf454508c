package morgana.netstack.wire;

import java.util.Arrays;

/**
 * A UDP datagram as the sockets see it (RFC 768). Emitted datagrams always carry a checksum (RFC 1122
 * §4.1.3.4 asks hosts to compute it by default).
 */
public record UdpRepr(int sourcePort, int destinationPort, byte[] payload) {

    /** The largest payload one IPv4 datagram can carry (65535 - 20 - 8). */
    public static final int MAX_PAYLOAD = 0xFFFF - Ipv4Packet.MIN_HEADER_LEN - UdpPacket.HEADER_LEN;
    /** The largest payload the 16-bit length field can describe (65535 - 8), whatever carries it. */
    static final int MAX_ENCODABLE_PAYLOAD = 0xFFFF - UdpPacket.HEADER_LEN;

    public UdpRepr {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("ports are 0 to 65535: " + sourcePort + ", " + destinationPort);
        }
        if (payload.length > MAX_ENCODABLE_PAYLOAD) {
            throw new IllegalArgumentException("a UDP payload is at most " + MAX_ENCODABLE_PAYLOAD + " bytes, not "
                    + payload.length);
        }
        payload = payload.clone();
    }

    /**
     * Verifies the checksum unless it is zero (RFC 768: "an all zero transmitted checksum value means that
     * the transmitter generated no checksum"), and refuses destination port 0 (reserved). Source port 0 is
     * allowed: RFC 768 makes it optional.
     */
    public static UdpRepr parse(UdpPacket p, Ipv4Address source, Ipv4Address destination) throws WireFormatException {
        return parse(p, source, destination, false);
    }

    /** As above; with {@code checksumVouched} (see {@code TcpRepr.parse}) the checksum is not verified. */
    public static UdpRepr parse(UdpPacket p, Ipv4Address source, Ipv4Address destination, boolean checksumVouched)
            throws WireFormatException {
        if (!checksumVouched && !p.verifyChecksum(source, destination)) {
            throw new WireFormatException(WireError.UDP_BAD_CHECKSUM);
        }
        if (p.destinationPort() == 0) {
            throw new WireFormatException(WireError.UDP_BAD_PORT);
        }
        byte[] payload = new byte[p.payload().remaining()];
        p.payload().get(payload);
        return new UdpRepr(p.sourcePort(), p.destinationPort(), payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    public int bufferLen() {
        return UdpPacket.HEADER_LEN + payload.length;
    }

    /** Writes header, payload and the checksum over the pseudo-header (RFC 768). */
    public void emit(UdpPacket p, Ipv4Address source, Ipv4Address destination) {
        p.write(sourcePort, destinationPort, payload, source, destination);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpRepr r && r.sourcePort == sourcePort && r.destinationPort == destinationPort
                && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return (sourcePort * 31 + destinationPort) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UDP " + sourcePort + " > " + destinationPort + " len=" + payload.length;
    }
}
