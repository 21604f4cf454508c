package morgana.netstack.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The ICMPv4 messages the stack handles (RFC 792): echo request and reply, and the two error messages a host
 * sends and must understand, destination unreachable and time exceeded. An error quotes the IPv4 header and
 * the first bytes of the datagram that caused it, so the receiver can find the socket concerned.
 */
public sealed interface Icmpv4Repr {

    int TYPE_ECHO_REPLY = 0;
    int TYPE_DESTINATION_UNREACHABLE = 3;
    int TYPE_ECHO_REQUEST = 8;
    int TYPE_TIME_EXCEEDED = 11;

    /** Destination unreachable codes (RFC 792, RFC 1122 §3.2.2.1). */
    int CODE_NET_UNREACHABLE = 0;
    int CODE_HOST_UNREACHABLE = 1;
    int CODE_PROTOCOL_UNREACHABLE = 2;
    int CODE_PORT_UNREACHABLE = 3;
    /** "Fragmentation needed and DF set": the rest of the header carries the next-hop MTU (RFC 1191 §4). */
    int CODE_FRAGMENTATION_NEEDED = 4;
    /** Time exceeded codes (RFC 792). */
    int CODE_TTL_EXCEEDED = 0;
    int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    /**
     * The most of the offending datagram an error quotes: the whole error then fits in 576 bytes, which every
     * host accepts (RFC 1812 §4.3.2.3 gives this rule; RFC 1122 §3.2.2 asks for at least the header and 8 bytes).
     */
    int MAX_QUOTE = 576 - Ipv4Packet.MIN_HEADER_LEN - Icmpv4Packet.HEADER_LEN;

    /** For echo messages the identifier; 0 for others. */
    default int identifier() {
        return 0;
    }

    /** For echo messages the sequence number; 0 for others. */
    default int sequence() {
        return 0;
    }

    /** The data after the 8-byte header: the echo data, or the quoted datagram of an error. */
    byte[] data();

    record EchoRequest(int identifier, int sequence, byte[] data) implements Icmpv4Repr {
        public EchoRequest {
            data = data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoRequest e && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * identifier + sequence) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "EchoRequest[id=" + identifier + ", seq=" + sequence + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    record EchoReply(int identifier, int sequence, byte[] data) implements Icmpv4Repr {
        public EchoReply {
            data = data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoReply e && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * identifier + sequence) + Arrays.hashCode(data) + 1;
        }

        @Override
        public String toString() {
            return "EchoReply[id=" + identifier + ", seq=" + sequence + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    /**
     * Destination unreachable (RFC 792). {@code nextHopMtu} is meaningful only for
     * {@link #CODE_FRAGMENTATION_NEEDED} (RFC 1191 §4) and must be 0 otherwise.
     */
    record DestinationUnreachable(int code, int nextHopMtu, byte[] data) implements Icmpv4Repr {
        public DestinationUnreachable {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("an ICMP code is one byte: " + code);
            }
            if (nextHopMtu < 0 || nextHopMtu > 0xFFFF || (nextHopMtu != 0 && code != CODE_FRAGMENTATION_NEEDED)) {
                throw new IllegalArgumentException("a next-hop MTU is 16 bits, and only for fragmentation needed: "
                        + nextHopMtu);
            }
            requireQuote(data);
            data = data.clone();
        }

        /** A port unreachable quoting {@code quoted} (see {@link #quote}). */
        public static DestinationUnreachable portUnreachable(byte[] quoted) {
            return new DestinationUnreachable(CODE_PORT_UNREACHABLE, 0, quoted);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestinationUnreachable d && d.code == code && d.nextHopMtu == nextHopMtu
                    && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * code + nextHopMtu) + Arrays.hashCode(data) + 3;
        }

        @Override
        public String toString() {
            return "DestinationUnreachable[code=" + code + ", mtu=" + nextHopMtu + ", quoted=" + data.length + " bytes]";
        }
    }

    /** Time exceeded (RFC 792): TTL reached zero in transit (code 0) or reassembly timed out (code 1). */
    record TimeExceeded(int code, byte[] data) implements Icmpv4Repr {
        public TimeExceeded {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("an ICMP code is one byte: " + code);
            }
            requireQuote(data);
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TimeExceeded t && t.code == code && Arrays.equals(t.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * code + Arrays.hashCode(data) + 11;
        }

        @Override
        public String toString() {
            return "TimeExceeded[code=" + code + ", quoted=" + data.length + " bytes]";
        }
    }

    /** The quote an error carries of {@code ipPacket} (a whole IPv4 packet): its header and up to {@link #MAX_QUOTE} bytes. */
    static byte[] quote(ByteBuffer ipPacket) {
        byte[] q = new byte[Math.min(ipPacket.remaining(), MAX_QUOTE)];
        ipPacket.duplicate().get(q);
        return q;
    }

    private static void requireQuote(byte[] data) {
        if (!isQuote(data)) {
            throw new IllegalArgumentException("an ICMP error quotes an IPv4 header (20 bytes or more, version 4)");
        }
    }

    private static boolean isQuote(byte[] data) {
        return data.length >= Ipv4Packet.MIN_HEADER_LEN && (data[0] & 0xF0) == 0x40;
    }

    /**
     * Verifies the checksum over the whole message (RFC 792), then decodes by type. Echo messages must have
     * code 0; an error must quote at least an IPv4 header (RFC 1122 §3.2.2).
     */
    static Icmpv4Repr parse(Icmpv4Packet p) throws WireFormatException {
        if (!p.verifyChecksum()) {
            throw new WireFormatException(WireError.ICMP_BAD_CHECKSUM);
        }
        switch (p.type()) {
            case TYPE_ECHO_REQUEST, TYPE_ECHO_REPLY -> {
                if (p.code() != 0) {
                    throw new WireFormatException(WireError.ICMP_UNSUPPORTED);
                }
                return p.type() == TYPE_ECHO_REQUEST
                        ? new EchoRequest(p.echoIdentifier(), p.echoSequence(), p.data())
                        : new EchoReply(p.echoIdentifier(), p.echoSequence(), p.data());
            }
            case TYPE_DESTINATION_UNREACHABLE -> {
                byte[] quoted = p.data();
                if (!isQuote(quoted)) {
                    throw new WireFormatException(WireError.ICMP_BAD_QUOTE);
                }
                int mtu = p.code() == CODE_FRAGMENTATION_NEEDED ? p.restOfHeader() & 0xFFFF : 0;
                return new DestinationUnreachable(p.code(), mtu, quoted);
            }
            case TYPE_TIME_EXCEEDED -> {
                byte[] quoted = p.data();
                if (!isQuote(quoted)) {
                    throw new WireFormatException(WireError.ICMP_BAD_QUOTE);
                }
                return new TimeExceeded(p.code(), quoted);
            }
            default -> throw new WireFormatException(WireError.ICMP_UNSUPPORTED);
        }
    }

    /** True for the error messages, which a host never answers with another error (RFC 1122 §3.2.2). */
    default boolean isError() {
        return this instanceof DestinationUnreachable || this instanceof TimeExceeded;
    }

    default int bufferLen() {
        return Icmpv4Packet.HEADER_LEN + data().length;
    }

    default void emit(Icmpv4Packet p) {
        switch (this) {
            case EchoRequest r -> p.writeEcho(TYPE_ECHO_REQUEST, r.identifier(), r.sequence(), r.data());
            case EchoReply r -> p.writeEcho(TYPE_ECHO_REPLY, r.identifier(), r.sequence(), r.data());
            case DestinationUnreachable d -> p.write(TYPE_DESTINATION_UNREACHABLE, d.code(), d.nextHopMtu(), d.data());
            case TimeExceeded t -> p.write(TYPE_TIME_EXCEEDED, t.code(), 0, t.data());
        }
    }
}
