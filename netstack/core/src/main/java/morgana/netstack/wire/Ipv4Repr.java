package morgana.netstack.wire;

/**
 * The IPv4 header fields the stack acts on (RFC 791 §3.1). Options are skipped on parse and never emitted;
 * emitted packets set DF and identification 0, which RFC 6864 §4.1 allows for atomic datagrams.
 */
public record Ipv4Repr(Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength, int ttl) {

    /** The TTL of packets this stack originates (RFC 1700 recommends 64). */
    public static final int DEFAULT_TTL = 64;

    public Ipv4Repr {
        if (protocol < 0 || protocol > 255 || ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("protocol and TTL are one byte each: " + protocol + ", " + ttl);
        }
        if (payloadLength < 0 || payloadLength > 0xFFFF - Ipv4Packet.MIN_HEADER_LEN) {
            throw new IllegalArgumentException("an IPv4 payload is 0 to 65515 bytes, not " + payloadLength);
        }
    }

    public static Ipv4Repr of(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int payloadLength) {
        return new Ipv4Repr(source, destination, protocol.value(), payloadLength, DEFAULT_TTL);
    }

    /**
     * Validates the checksum and refuses fragments: without reassembly a fragment's payload is not a
     * whole upper-layer message (RFC 791 §3.2).
     */
    public static Ipv4Repr parse(Ipv4Packet p) throws WireFormatException {
        if (!p.verifyChecksum()) {
            throw new WireFormatException(WireError.IPV4_BAD_CHECKSUM);
        }
        if (p.moreFragments() || p.fragmentOffset() != 0) {
            throw new WireFormatException(WireError.IPV4_FRAGMENT);
        }
        return new Ipv4Repr(p.source(), p.destination(), p.protocol(), p.totalLength() - p.headerLength(), p.ttl());
    }

    public IpProtocol ipProtocol() {
        return IpProtocol.of(protocol);
    }

    public int bufferLen() {
        return Ipv4Packet.MIN_HEADER_LEN + payloadLength;
    }

    /** Writes the header (checksum included); the payload is written separately into {@code payloadForWriting}. */
    public void emit(Ipv4Packet p) {
        emit(p, source, destination, protocol, payloadLength, ttl);
    }

    /** Writes the header {@code new Ipv4Repr(...)} of these fields would, without making one. */
    public static void emit(Ipv4Packet p, Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength,
                            int ttl) {
        p.writeHeader(Ipv4Packet.MIN_HEADER_LEN + payloadLength, 0, ttl, protocol, source, destination);
    }
}
