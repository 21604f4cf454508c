package morgana.netstack.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** The ICMPv4 messages the stack handles: echo request and reply (RFC 792, "Echo or Echo Reply Message"). */
public sealed interface Icmpv4Repr {

    int TYPE_ECHO_REPLY = 0;
    int TYPE_ECHO_REQUEST = 8;

    int identifier();

    int sequence();

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

    /** Verifies the checksum over the whole message (RFC 792), then decodes echo messages. */
    static Icmpv4Repr parse(Icmpv4Packet p) throws WireFormatException {
        if (!p.verifyChecksum()) {
            throw new WireFormatException(WireError.ICMP_BAD_CHECKSUM);
        }
        if (p.code() != 0) {
            throw new WireFormatException(WireError.ICMP_UNSUPPORTED);
        }
        return switch (p.type()) {
            case TYPE_ECHO_REQUEST -> new EchoRequest(p.echoIdentifier(), p.echoSequence(), p.data());
            case TYPE_ECHO_REPLY -> new EchoReply(p.echoIdentifier(), p.echoSequence(), p.data());
            default -> throw new WireFormatException(WireError.ICMP_UNSUPPORTED);
        };
    }

    default int bufferLen() {
        return Icmpv4Packet.HEADER_LEN + data().length;
    }

    default void emit(Icmpv4Packet p) {
        int type = switch (this) {
            case EchoRequest r -> TYPE_ECHO_REQUEST;
            case EchoReply r -> TYPE_ECHO_REPLY;
        };
        p.writeEcho(type, identifier(), sequence(), data());
    }
}
