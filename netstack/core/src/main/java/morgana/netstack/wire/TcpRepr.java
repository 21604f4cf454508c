package morgana.netstack.wire;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A TCP segment as the socket layer sees it (RFC 9293 §3.1). Sequence and acknowledgment numbers are raw
 * 32-bit values (compare them with modular arithmetic). Of the options, MSS, window scale, SACK-permitted,
 * SACK blocks and timestamps are kept; unknown kinds are validated and skipped. The urgent pointer is ignored
 * (RFC 6093 recommends against urgent data) and emitted as 0.
 *
 * <p>Emitted options follow the layout Linux uses, so that they stay word-aligned: MSS, then SACK-permitted
 * with the timestamps (or NOP NOP before either alone), NOP and window scale, NOP NOP and the SACK blocks.
 * They may take at most {@link #MAX_OPTIONS_LEN} bytes: with timestamps, three SACK blocks fit, four without.
 *
 * <p>The payload is the bytes between the buffer's position and limit, never consumed. It is a view, not a
 * copy: of the received frame for a {@linkplain #parse parsed} segment, of the send buffer for one a socket
 * makes, so it is valid only while the segment is being handled; whoever keeps the bytes copies them.
 */
public record TcpRepr(int sourcePort, int destinationPort, int seqNumber, int ackNumber, int flags, int window,
                      OptionalInt maxSegmentSize, OptionalInt windowScale, boolean sackPermitted,
                      Optional<TcpOption.Timestamps> timestamps, List<TcpOption.SackBlock> sackBlocks, ByteBuffer payload) {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** The data offset is 4 bits of words: 60 bytes of header, 20 fixed (RFC 9293 §3.1). */
    public static final int MAX_OPTIONS_LEN = 40;

    public TcpRepr {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("ports are 0 to 65535: " + sourcePort + ", " + destinationPort);
        }
        if (window < 0 || window > 0xFFFF || (flags & ~0xFF) != 0) {
            throw new IllegalArgumentException("window is 16 bits and flags 8: " + window + ", " + flags);
        }
        maxSegmentSize.ifPresent(v -> {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("an MSS is 16 bits: " + v);
            }
        });
        windowScale.ifPresent(v -> {
            if (v < 0 || v > 0xFF) {
                throw new IllegalArgumentException("a window scale is one byte: " + v);
            }
        });
        sackBlocks = List.copyOf(sackBlocks);
        int optionsLen = optionsLength(maxSegmentSize, windowScale, sackPermitted, timestamps, sackBlocks);
        if (optionsLen > MAX_OPTIONS_LEN) {
            throw new IllegalArgumentException("options take " + optionsLen + " bytes, more than the "
                    + MAX_OPTIONS_LEN + " a header holds (too many SACK blocks?)");
        }
    }

    /** As the canonical constructor, with the payload in an array (wrapped, not copied). */
    public TcpRepr(int sourcePort, int destinationPort, int seqNumber, int ackNumber, int flags, int window,
                   OptionalInt maxSegmentSize, OptionalInt windowScale, boolean sackPermitted,
                   Optional<TcpOption.Timestamps> timestamps, List<TcpOption.SackBlock> sackBlocks, byte[] payload) {
        this(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, maxSegmentSize, windowScale,
                sackPermitted, timestamps, sackBlocks, wrap(payload));
    }

    /** A segment with MSS, window scale and SACK-permitted only (the options of the original skeleton). */
    public TcpRepr(int sourcePort, int destinationPort, int seqNumber, int ackNumber, int flags, int window,
                   OptionalInt maxSegmentSize, OptionalInt windowScale, boolean sackPermitted, byte[] payload) {
        this(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, maxSegmentSize, windowScale,
                sackPermitted, Optional.empty(), List.of(), wrap(payload));
    }

    /** A segment without options. */
    public static TcpRepr of(int sourcePort, int destinationPort, int seq, int ack, int flags, int window, byte[] payload) {
        return of(sourcePort, destinationPort, seq, ack, flags, window, wrap(payload));
    }

    /** A segment without options, its payload a view ({@code payload} from its position to its limit). */
    public static TcpRepr of(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
                             ByteBuffer payload) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, OptionalInt.empty(),
                OptionalInt.empty(), false, Optional.empty(), List.of(), payload);
    }

    /** A segment without options or payload. */
    public static TcpRepr of(int sourcePort, int destinationPort, int seq, int ack, int flags, int window) {
        return of(sourcePort, destinationPort, seq, ack, flags, window, EMPTY);
    }

    private static ByteBuffer wrap(byte[] payload) {
        return payload.length == 0 ? EMPTY : ByteBuffer.wrap(payload);
    }

    /** How many payload bytes the segment carries. */
    public int payloadLength() {
        return payload.remaining();
    }

    /** A copy of the payload. */
    public byte[] payloadBytes() {
        byte[] copy = new byte[payload.remaining()];
        payload.get(payload.position(), copy);
        return copy;
    }

    /** This segment carrying the timestamps option (RFC 7323 §3). */
    public TcpRepr withTimestamps(long value, long echoReply) {
        return new TcpRepr(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, maxSegmentSize,
                windowScale, sackPermitted, Optional.of(new TcpOption.Timestamps(value, echoReply)), sackBlocks, payload);
    }

    /** This segment carrying SACK blocks (RFC 2018 §3); the caller keeps to what fits. */
    public TcpRepr withSackBlocks(List<TcpOption.SackBlock> blocks) {
        return new TcpRepr(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, maxSegmentSize,
                windowScale, sackPermitted, timestamps, blocks, payload);
    }

    /** This segment with the SYN options: MSS, window scale (if any) and SACK-permitted. */
    public TcpRepr withSynOptions(int mss, OptionalInt scale, boolean sackOk) {
        return new TcpRepr(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, OptionalInt.of(mss),
                scale, sackOk, timestamps, sackBlocks, payload);
    }

    /** How many SACK blocks fit beside timestamps (or without them) in a non-SYN segment. */
    public static int maxSackBlocks(boolean withTimestamps) {
        return withTimestamps ? 3 : 4;
    }

    /**
     * Verifies the checksum with the pseudo-header, refuses port 0, and parses the options strictly
     * (see {@link TcpOption#parseAll}).
     */
    public static TcpRepr parse(TcpPacket p, Ipv4Address source, Ipv4Address destination) throws WireFormatException {
        return parse(p, source, destination, false);
    }

    /**
     * As {@link #parse(TcpPacket, Ipv4Address, Ipv4Address)}; with {@code checksumVouched} (the kernel beneath
     * made or checked the segment, see {@code Device.Reception}) the checksum is not verified.
     */
    public static TcpRepr parse(TcpPacket p, Ipv4Address source, Ipv4Address destination, boolean checksumVouched)
            throws WireFormatException {
        if (!checksumVouched && !p.verifyChecksum(source, destination)) {
            throw new WireFormatException(WireError.TCP_BAD_CHECKSUM);
        }
        if (p.sourcePort() == 0 || p.destinationPort() == 0) {
            throw new WireFormatException(WireError.TCP_BAD_PORT);
        }
        OptionalInt mss = OptionalInt.empty();
        OptionalInt scale = OptionalInt.empty();
        boolean sack = false;
        Optional<TcpOption.Timestamps> timestamps = Optional.empty();
        List<TcpOption.SackBlock> blocks = List.of();
        for (TcpOption option : TcpOption.parseAll(p.options())) {
            switch (option) {
                case TcpOption.MaxSegmentSize m -> mss = OptionalInt.of(m.value());
                case TcpOption.WindowScale w -> scale = OptionalInt.of(w.shift());
                case TcpOption.SackPermitted s -> sack = true;
                case TcpOption.Sack s -> blocks = s.blocks();
                case TcpOption.Timestamps t -> timestamps = Optional.of(t);
                case TcpOption.EndOfList e -> { }
                case TcpOption.NoOperation n -> { }
                case TcpOption.Unknown u -> { }
            }
        }
        // Options each valid and packed tighter than our layout (no NOP padding) can need more than 40 bytes as
        // we hold them. SACK is advisory (RFC 2018 §3 and §8): keep the first blocks, the most recent ones.
        while (!blocks.isEmpty() && optionsLength(mss, scale, sack, timestamps, blocks) > MAX_OPTIONS_LEN) {
            blocks = blocks.subList(0, blocks.size() - 1);
        }
        return new TcpRepr(p.sourcePort(), p.destinationPort(), p.seqNumber(), p.ackNumber(), p.flags(), p.window(),
                mss, scale, sack, timestamps, blocks, p.payload());
    }

    public boolean syn() {
        return (flags & TcpPacket.SYN) != 0;
    }

    public boolean fin() {
        return (flags & TcpPacket.FIN) != 0;
    }

    public boolean rst() {
        return (flags & TcpPacket.RST) != 0;
    }

    public boolean ack() {
        return (flags & TcpPacket.ACK) != 0;
    }

    /** SEG.LEN: the sequence space the segment occupies, counting SYN and FIN (RFC 9293 §3.4). */
    public int segmentLength() {
        return payload.remaining() + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    private static int optionsLength(OptionalInt mss, OptionalInt scale, boolean sackOk,
                                     Optional<TcpOption.Timestamps> timestamps, List<TcpOption.SackBlock> blocks) {
        int len = mss.isPresent() ? 4 : 0;
        if (sackOk || timestamps.isPresent()) {
            len += (sackOk ? 2 : 0) + (timestamps.isPresent() ? 10 : 0);
            len = (len + 3) & ~3; // NOP padding in front of a lone option
        }
        if (scale.isPresent()) {
            len += 4; // NOP + 3
        }
        if (!blocks.isEmpty()) {
            len += 4 + 8 * blocks.size(); // NOP NOP + kind, length and the blocks
        }
        return len;
    }

    private int optionsLength() {
        return optionsLength(maxSegmentSize, windowScale, sackPermitted, timestamps, sackBlocks);
    }

    public int headerLen() {
        return TcpPacket.MIN_HEADER_LEN + optionsLength();
    }

    public int bufferLen() {
        return headerLen() + payload.remaining();
    }

    /** Writes header, options, payload and the checksum (which needs the IP addresses of the pseudo-header). */
    public void emit(TcpPacket p, Ipv4Address source, Ipv4Address destination) {
        emit(p, source, destination, false);
    }

    /**
     * As above; with {@code partialChecksum} the checksum field gets only the pseudo-header's sum, for a
     * device that completes it ({@code DeviceCapabilities.checksumOffload}).
     */
    public void emit(TcpPacket p, Ipv4Address source, Ipv4Address destination, boolean partialChecksum) {
        int headerLen = headerLen();
        p.writeHeader(sourcePort, destinationPort, seqNumber, ackNumber, headerLen, flags, window);
        int at = TcpPacket.MIN_HEADER_LEN;
        if (maxSegmentSize.isPresent()) {
            p.putByte(at, TcpOption.KIND_MSS);
            p.putByte(at + 1, 4);
            p.putByte(at + 2, maxSegmentSize.getAsInt() >>> 8);
            p.putByte(at + 3, maxSegmentSize.getAsInt());
            at += 4;
        }
        if (sackPermitted || timestamps.isPresent()) {
            if (!(sackPermitted && timestamps.isPresent())) {
                p.putByte(at++, TcpOption.KIND_NOP);
                p.putByte(at++, TcpOption.KIND_NOP);
            }
            if (sackPermitted) {
                p.putByte(at, TcpOption.KIND_SACK_PERMITTED);
                p.putByte(at + 1, 2);
                at += 2;
            }
            if (timestamps.isPresent()) {
                p.putByte(at, TcpOption.KIND_TIMESTAMPS);
                p.putByte(at + 1, 10);
                p.putInt(at + 2, (int) timestamps.get().value());
                p.putInt(at + 6, (int) timestamps.get().echoReply());
                at += 10;
            }
        }
        if (windowScale.isPresent()) {
            p.putByte(at, TcpOption.KIND_NOP);
            p.putByte(at + 1, TcpOption.KIND_WINDOW_SCALE);
            p.putByte(at + 2, 3);
            p.putByte(at + 3, windowScale.getAsInt());
            at += 4;
        }
        if (!sackBlocks.isEmpty()) {
            p.putByte(at, TcpOption.KIND_NOP);
            p.putByte(at + 1, TcpOption.KIND_NOP);
            p.putByte(at + 2, TcpOption.KIND_SACK);
            p.putByte(at + 3, 2 + 8 * sackBlocks.size());
            at += 4;
            for (TcpOption.SackBlock block : sackBlocks) {
                p.putInt(at, block.left());
                p.putInt(at + 4, block.right());
                at += 8;
            }
        }
        while (at < headerLen) {
            p.putByte(at++, TcpOption.KIND_END);
        }
        p.put(headerLen, payload);
        if (partialChecksum) {
            p.fillPartialChecksum(source, destination);
        } else {
            p.fillChecksum(source, destination);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpRepr r && r.sourcePort == sourcePort && r.destinationPort == destinationPort
                && r.seqNumber == seqNumber && r.ackNumber == ackNumber && r.flags == flags && r.window == window
                && r.maxSegmentSize.equals(maxSegmentSize) && r.windowScale.equals(windowScale)
                && r.sackPermitted == sackPermitted && r.timestamps.equals(timestamps)
                && r.sackBlocks.equals(sackBlocks) && r.payload.equals(payload);
    }

    @Override
    public int hashCode() {
        return ((sourcePort * 31 + destinationPort) * 31 + seqNumber) * 31 + ackNumber + payload.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TCP ").append(sourcePort).append(" > ").append(destinationPort).append(" [");
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                s.append(s.charAt(s.length() - 1) == '[' ? "" : ",").append(names[i]);
            }
        }
        s.append("] seq=").append(Integer.toUnsignedString(seqNumber)).append(" ack=")
                .append(Integer.toUnsignedString(ackNumber)).append(" win=").append(window).append(" len=")
                .append(payload.remaining());
        maxSegmentSize.ifPresent(m -> s.append(" mss=").append(m));
        windowScale.ifPresent(w -> s.append(" wscale=").append(w));
        if (sackPermitted) {
            s.append(" sackOK");
        }
        timestamps.ifPresent(t -> s.append(" TS val ").append(t.value()).append(" ecr ").append(t.echoReply()));
        if (!sackBlocks.isEmpty()) {
            s.append(" sack");
            sackBlocks.forEach(b -> s.append(' ').append(Integer.toUnsignedString(b.left())).append('-')
                    .append(Integer.toUnsignedString(b.right())));
        }
        return s.toString();
    }
}
