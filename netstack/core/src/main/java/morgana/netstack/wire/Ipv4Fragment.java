package morgana.netstack.wire;

/**
 * The header of one fragment of an IPv4 datagram (RFC 791 §2.3 "Fragmentation", §3.2): the fields that tie
 * fragments together (source, destination, protocol, identification) and where this one's payload goes.
 *
 * @param offset          where the payload starts in the datagram, in bytes (a multiple of 8)
 * @param moreFragments   the MF flag: false only on the last fragment
 * @param payloadLength   the bytes of payload this fragment carries
 */
public record Ipv4Fragment(Ipv4Address source, Ipv4Address destination, int protocol, int identification, int offset,
                           boolean moreFragments, int payloadLength, int ttl) {

    public Ipv4Fragment {
        if (protocol < 0 || protocol > 255 || ttl < 0 || ttl > 255 || identification < 0 || identification > 0xFFFF) {
            throw new IllegalArgumentException("protocol and TTL are one byte, identification 16 bits");
        }
        if (offset < 0 || offset > Ipv4Packet.FRAGMENT_OFFSET_MASK * 8 || offset % 8 != 0) {
            throw new IllegalArgumentException("a fragment offset is a multiple of 8 up to 65528, not " + offset);
        }
        if (payloadLength < 0 || payloadLength > 0xFFFF - Ipv4Packet.MIN_HEADER_LEN) {
            throw new IllegalArgumentException("an IPv4 payload is 0 to 65515 bytes, not " + payloadLength);
        }
    }

    /** True when the packet is a fragment, not a whole datagram: MF set or a non-zero offset (RFC 791 §3.2). */
    public static boolean isFragment(Ipv4Packet p) {
        return p.moreFragments() || p.fragmentOffset() != 0;
    }

    /** Validates the header checksum; accepts whole datagrams too (offset 0, no MF). */
    public static Ipv4Fragment parse(Ipv4Packet p) throws WireFormatException {
        if (!p.verifyChecksum()) {
            throw new WireFormatException(WireError.IPV4_BAD_CHECKSUM);
        }
        return new Ipv4Fragment(p.source(), p.destination(), p.protocol(), p.identification(), p.fragmentOffset(),
                p.moreFragments(), p.totalLength() - p.headerLength(), p.ttl());
    }

    public int bufferLen() {
        return Ipv4Packet.MIN_HEADER_LEN + payloadLength;
    }

    /** Where the payload ends in the datagram. */
    public int end() {
        return offset + payloadLength;
    }

    /** Writes a 20-byte header (checksum included, DF clear); the payload goes into {@code payloadForWriting}. */
    public void emit(Ipv4Packet p) {
        int flagsAndOffset = (moreFragments ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0) | (offset / 8);
        p.writeHeader(bufferLen(), identification, flagsAndOffset, ttl, protocol, source, destination);
    }
}
