package morgana.fuzz.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import morgana.fuzz.ByteScript;
import morgana.netstack.wire.TcpOption;
import morgana.netstack.wire.TcpRepr;

/**
 * A remote TCP whose segments come from a fuzzer's script. It keeps what it saw of the server's sequence
 * space, so that a script can aim at RCV.NXT and SND.NXT (or near them) instead of guessing 32-bit numbers.
 *
 * <p>One step of the script: flags byte; options byte (bit 0 MSS, 1 window scale, 2 SACK-permitted,
 * 3 timestamps, 4 SACK blocks, 5-7 payload length in 64-byte units); a byte of modes (bits 0-1 for seq and
 * 2-3 for ack: 0 exact, 1 and 2 a signed 16-bit offset, 3 a raw 32-bit value; bit 4 the second peer port); the
 * option values as they are needed; and a byte of clock advance.
 */
final class ScriptedPeer {

    static final int[] PORTS = {40000, 40001};

    /** Per peer port: our next sequence number, and the server's next one as last acknowledged by it. */
    private final int[] ourNext = {0x1000_0000, 0x2000_0000};
    private final int[] serverNext = new int[2];

    /** The next segment of the script, or empty when it has ended. */
    Optional<TcpRepr> next(ByteScript s, int serverPort) {
        if (!s.hasMore()) {
            return Optional.empty();
        }
        int flags = s.u8();
        int options = s.u8();
        int modes = s.u8();
        int peer = (modes >>> 4) & 1;
        int seq = number(s, modes & 3, ourNext[peer]);
        int ack = number(s, (modes >>> 2) & 3, serverNext[peer]);
        int window = s.u16();
        OptionalInt mss = (options & 1) != 0 ? OptionalInt.of(s.u16()) : OptionalInt.empty();
        OptionalInt scale = (options & 2) != 0 ? OptionalInt.of(s.u8()) : OptionalInt.empty();
        boolean sackOk = (options & 4) != 0;
        Optional<TcpOption.Timestamps> stamps = (options & 8) != 0
                ? Optional.of(new TcpOption.Timestamps(s.i32() & 0xFFFF_FFFFL, s.i32() & 0xFFFF_FFFFL))
                : Optional.empty();
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        if ((options & 16) != 0) {
            int count = 1 + s.u8() % TcpRepr.maxSackBlocks(stamps.isPresent());
            for (int i = 0; i < count && blocks.size() < fitting(mss, scale, sackOk, stamps); i++) {
                int left = serverNext[peer] + (short) s.u16();
                blocks.add(new TcpOption.SackBlock(left, left + s.u16()));
            }
        }
        byte[] payload = s.take(64 * (options >>> 5));
        TcpRepr segment = new TcpRepr(PORTS[peer], serverPort, seq, ack, flags, window, mss, scale, sackOk, stamps,
                blocks, payload);
        ourNext[peer] = seq + segment.segmentLength();
        return Optional.of(segment);
    }

    /** The clock advance that ends a step, in milliseconds: up to 25.5 s. */
    long advanceMillis(ByteScript s) {
        return 100L * s.u8();
    }

    /** Learns the server's sequence space from what it sent to the peer on {@code port}. */
    void saw(TcpRepr fromServer) {
        for (int peer = 0; peer < PORTS.length; peer++) {
            if (fromServer.destinationPort() == PORTS[peer]) {
                serverNext[peer] = fromServer.seqNumber() + fromServer.segmentLength();
            }
        }
    }

    private static int number(ByteScript s, int mode, int expected) {
        return switch (mode) {
            case 0 -> expected;
            case 1, 2 -> expected + (short) s.u16();
            default -> s.i32();
        };
    }

    /** How many SACK blocks still fit in 40 option bytes beside the other options chosen. */
    private static int fitting(OptionalInt mss, OptionalInt scale, boolean sackOk, Optional<TcpOption.Timestamps> ts) {
        int used = (mss.isPresent() ? 4 : 0) + (sackOk || ts.isPresent() ? (ts.isPresent() ? 12 : 4) : 0)
                + (scale.isPresent() ? 4 : 0);
        return Math.max(0, (TcpRepr.MAX_OPTIONS_LEN - used - 4) / 8);
    }
}
