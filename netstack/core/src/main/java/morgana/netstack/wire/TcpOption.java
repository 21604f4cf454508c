package morgana.netstack.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP option (RFC 9293 §3.2). Parsing is where hostile input meets the stack (see Mirage's options-fuzzing
 * story): every step advances by at least one byte, and any length that is below 2, runs past the header or
 * does not fit its kind fails the whole segment instead of looping or reading out of bounds.
 */
public sealed interface TcpOption {

    int KIND_END = 0;
    int KIND_NOP = 1;
    int KIND_MSS = 2;
    int KIND_WINDOW_SCALE = 3;
    int KIND_SACK_PERMITTED = 4;
    int KIND_SACK = 5;
    int KIND_TIMESTAMPS = 8;

    /** Kind 0: the end of the option list; the rest of the header is padding. */
    record EndOfList() implements TcpOption {
    }

    /** Kind 1: one byte of padding between options. */
    record NoOperation() implements TcpOption {
    }

    /** Kind 2, length 4 (RFC 9293 §3.7.1). */
    record MaxSegmentSize(int value) implements TcpOption {
    }

    /** Kind 3, length 3 (RFC 7323 §2.2); shifts above 14 are clamped to 14 by the user (§2.3). */
    record WindowScale(int shift) implements TcpOption {
    }

    /** Kind 4, length 2 (RFC 2018 §2). */
    record SackPermitted() implements TcpOption {
    }

    /** One SACK block: the sequence numbers of the first byte received and of the byte after the last. */
    record SackBlock(int left, int right) {
    }

    /** Kind 5, length 2 + 8n with n from 1 to 4 (RFC 2018 §3); anything else is a malformed segment. */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public Sack {
            blocks = List.copyOf(blocks);
        }
    }

    /** Kind 8, length 10 (RFC 7323 §3.2). */
    record Timestamps(long value, long echoReply) implements TcpOption {
    }

    /** Any other kind, skipped by its length. */
    record Unknown(int kind, int length) implements TcpOption {
    }

    /** Parses the whole option area of a header. */
    static List<TcpOption> parseAll(ByteBuffer options) throws WireFormatException {
        List<TcpOption> out = new ArrayList<>(4);
        int end = options.limit();
        for (int i = 0; i < end; ) {
            int next = next(options, i, end); // checks the option before anything of it is read
            int kind = options.get(i) & 0xFF;
            out.add(switch (kind) {
                case KIND_END -> new EndOfList();
                case KIND_NOP -> new NoOperation();
                case KIND_MSS -> new MaxSegmentSize(options.getShort(i + 2) & 0xFFFF);
                case KIND_WINDOW_SCALE -> new WindowScale(options.get(i + 2) & 0xFF);
                case KIND_SACK_PERMITTED -> new SackPermitted();
                case KIND_SACK -> new Sack(sackBlocks(options, i));
                case KIND_TIMESTAMPS -> new Timestamps(options.getInt(i + 2) & 0xFFFF_FFFFL, options.getInt(i + 6) & 0xFFFF_FFFFL);
                default -> new Unknown(kind, options.get(i + 1) & 0xFF);
            });
            i = next;
        }
        return out;
    }

    /**
     * Checks the option at {@code at} of an option area that ends at {@code end} (indexes into {@code buf}) and
     * returns where the next one starts: {@code end} after an end-of-list. The one walk that {@link #parseAll}
     * and {@link TcpRepr#parse} share, so that a received segment's options are read without an object each.
     */
    static int next(ByteBuffer buf, int at, int end) throws WireFormatException {
        int kind = buf.get(at) & 0xFF;
        if (kind == KIND_END) {
            return end;
        }
        if (kind == KIND_NOP) {
            return at + 1;
        }
        if (at + 1 >= end) {
            throw new WireFormatException(WireError.TCP_BAD_OPTION_LENGTH); // no room for the length byte
        }
        int length = buf.get(at + 1) & 0xFF;
        if (length < 2 || at + length > end) {
            throw new WireFormatException(WireError.TCP_BAD_OPTION_LENGTH);
        }
        switch (kind) {
            case KIND_MSS -> requireLength(length, 4);
            case KIND_WINDOW_SCALE -> requireLength(length, 3);
            case KIND_SACK_PERMITTED -> requireLength(length, 2);
            case KIND_TIMESTAMPS -> requireLength(length, 10);
            case KIND_SACK -> {
                // The blocks must fill the option exactly, at least one and at most the four that 40 bytes hold.
                int body = length - 2;
                if (body < 8 || body % 8 != 0 || body / 8 > 4) {
                    throw new WireFormatException(WireError.TCP_BAD_SACK_OPTION);
                }
            }
            default -> { }
        }
        return at + length;
    }

    /** The blocks of the SACK option at {@code at}, which {@link #next} has checked. */
    static List<SackBlock> sackBlocks(ByteBuffer buf, int at) {
        int length = buf.get(at + 1) & 0xFF;
        List<SackBlock> blocks = new ArrayList<>((length - 2) / 8);
        for (int b = at + 2; b < at + length; b += 8) {
            blocks.add(new SackBlock(buf.getInt(b), buf.getInt(b + 4)));
        }
        return blocks;
    }

    private static void requireLength(int actual, int expected) throws WireFormatException {
        if (actual != expected) {
            throw new WireFormatException(WireError.TCP_BAD_OPTION_LENGTH);
        }
    }
}
