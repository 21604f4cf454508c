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
 *
 * <p>The options a segment of an established connection carries are held as plain numbers ({@code mss} and
 * {@code windowShift} are -1 when absent, the timestamps are 32-bit values beside {@code hasTimestamps}), so
 * that parsing or making such a segment is one object (issue 4: no allocation per packet). The
 * {@link #maxSegmentSize()}, {@link #windowScale()} and {@link #timestamps()} views make objects; the stack's
 * own hot paths read the fields.
 */
public final class TcpRepr {

    /** The payload of a segment that carries none: never consumed, so one serves every segment. */
    public static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** The data offset is 4 bits of words: 60 bytes of header, 20 fixed (RFC 9293 §3.1). */
    public static final int MAX_OPTIONS_LEN = 40;

    /** What {@code mss} and {@code windowShift} hold when the segment has no such option. */
    public static final int ABSENT = -1;

    private int sourcePort;
    private int destinationPort;
    private int seqNumber;
    private int ackNumber;
    private int flags;
    private int window;
    private int mss;
    private int windowShift;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int timestampValue;
    private int timestampEcho;
    private List<TcpOption.SackBlock> sackBlocks;
    private ByteBuffer payload;

    /** Every field; {@code mss} and {@code windowShift} are {@link #ABSENT} without their options. */
    public TcpRepr(int sourcePort, int destinationPort, int seqNumber, int ackNumber, int flags, int window,
                   int mss, int windowShift, boolean sackPermitted, boolean hasTimestamps, int timestampValue,
                   int timestampEcho, List<TcpOption.SackBlock> sackBlocks, ByteBuffer payload) {
        set(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, mss, windowShift, sackPermitted,
                hasTimestamps, timestampValue, timestampEcho, List.copyOf(sackBlocks), payload);
    }

    private TcpRepr() {
    }

    /** Checks and takes every field; {@code sackBlocks} must be immutable already. */
    private TcpRepr set(int sourcePort, int destinationPort, int seqNumber, int ackNumber, int flags, int window,
                        int mss, int windowShift, boolean sackPermitted, boolean hasTimestamps, int timestampValue,
                        int timestampEcho, List<TcpOption.SackBlock> sackBlocks, ByteBuffer payload) {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("ports are 0 to 65535: " + sourcePort + ", " + destinationPort);
        }
        if (window < 0 || window > 0xFFFF || (flags & ~0xFF) != 0) {
            throw new IllegalArgumentException("window is 16 bits and flags 8: " + window + ", " + flags);
        }
        if (mss < ABSENT || mss > 0xFFFF) {
            throw new IllegalArgumentException("an MSS is 16 bits: " + mss);
        }
        if (windowShift < ABSENT || windowShift > 0xFF) {
            throw new IllegalArgumentException("a window scale is one byte: " + windowShift);
        }
        if (!hasTimestamps && (timestampValue != 0 || timestampEcho != 0)) {
            throw new IllegalArgumentException("timestamp values without the timestamps option");
        }
        int optionsLen = optionsLength(mss, windowShift, sackPermitted, hasTimestamps, sackBlocks.size());
        if (optionsLen > MAX_OPTIONS_LEN) {
            throw new IllegalArgumentException("options take " + optionsLen + " bytes, more than the "
                    + MAX_OPTIONS_LEN + " a header holds (too many SACK blocks?)");
        }
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.seqNumber = seqNumber;
        this.ackNumber = ackNumber;
        this.flags = flags;
        this.window = window;
        this.mss = mss;
        this.windowShift = windowShift;
        this.sackPermitted = sackPermitted;
        this.hasTimestamps = hasTimestamps;
        this.timestampValue = timestampValue;
        this.timestampEcho = timestampEcho;
        this.sackBlocks = sackBlocks;
        this.payload = payload;
        return this;
    }

    /**
     * One segment made again and again: the stack parses every segment it receives into one and makes every
     * data segment and ACK it sends in another, so that neither path allocates per packet (issue 4). What it
     * returns is valid until its next use, its payload a view as always: whoever keeps a segment keeps a
     * {@link #copy()}.
     */
    public static final class Reusable {
        private final TcpRepr segment = new TcpRepr();
        /** A view of the buffer received segments are in, moved over each one's payload. */
        private ByteBuffer payloadView;
        private ByteBuffer payloadOf;

        /** As {@link TcpRepr#parse(TcpPacket, Ipv4Address, Ipv4Address, boolean)}, into this one segment. */
        public TcpRepr parse(TcpPacket p, int source, int destination, boolean checksumVouched)
                throws WireFormatException {
            if (payloadOf != p.buffer()) {
                payloadOf = p.buffer();
                payloadView = payloadOf.duplicate();
            }
            p.payloadInto(payloadView);
            return TcpRepr.parse(segment, p, source, destination, checksumVouched, payloadView);
        }

        /** A segment whose only option is the timestamps (RFC 7323 §3), as established connections send, into this one. */
        public TcpRepr stamped(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
                               int timestampValue, int timestampEcho, ByteBuffer payload) {
            return segment.set(sourcePort, destinationPort, seq, ack, flags, window, ABSENT, ABSENT, false, true,
                    timestampValue, timestampEcho, List.of(), payload);
        }

        /** As {@link TcpRepr#of(int, int, int, int, int, int, ByteBuffer)}, into this one segment. */
        public TcpRepr of(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
                          ByteBuffer payload) {
            return segment.set(sourcePort, destinationPort, seq, ack, flags, window, ABSENT, ABSENT, false, false, 0,
                    0, List.of(), payload);
        }
    }

    /** A segment of its own with the same fields (the payload still a view of the same bytes). */
    public TcpRepr copy() {
        return new TcpRepr().set(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, mss, windowShift,
                sackPermitted, hasTimestamps, timestampValue, timestampEcho, sackBlocks, payload.duplicate());
    }

    public int sourcePort() {
        return sourcePort;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public int seqNumber() {
        return seqNumber;
    }

    public int ackNumber() {
        return ackNumber;
    }

    /** The eight flag bits, CWR down to FIN ({@link TcpPacket#FIN} and the others). */
    public int flags() {
        return flags;
    }

    public int window() {
        return window;
    }

    /** The MSS option's value, {@link #ABSENT} without one. */
    public int mss() {
        return mss;
    }

    /** The window scale option's shift, {@link #ABSENT} without one. */
    public int windowShift() {
        return windowShift;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    /** TSval, 32 bits (0 without the timestamps option). */
    public int timestampValue() {
        return timestampValue;
    }

    /** TSecr, 32 bits (0 without the timestamps option). */
    public int timestampEcho() {
        return timestampEcho;
    }

    public List<TcpOption.SackBlock> sackBlocks() {
        return sackBlocks;
    }

    /** The payload: a view from its position to its limit, never consumed. */
    public ByteBuffer payload() {
        return payload;
    }

    /** With the options as optional values (a timestamp's value and echo reply are 32-bit, kept as longs). */
    public TcpRepr(int sourcePort, int destinationPort, int seqNumber, int ackNumber, int flags, int window,
                   OptionalInt maxSegmentSize, OptionalInt windowScale, boolean sackPermitted,
                   Optional<TcpOption.Timestamps> timestamps, List<TcpOption.SackBlock> sackBlocks, ByteBuffer payload) {
        this(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, maxSegmentSize.orElse(ABSENT),
                windowScale.orElse(ABSENT), sackPermitted, timestamps.isPresent(),
                timestamps.map(t -> (int) t.value()).orElse(0), timestamps.map(t -> (int) t.echoReply()).orElse(0),
                sackBlocks, payload);
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
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, ABSENT, ABSENT, false, false, 0, 0,
                List.of(), payload);
    }

    /** A segment without options or payload. */
    public static TcpRepr of(int sourcePort, int destinationPort, int seq, int ack, int flags, int window) {
        return of(sourcePort, destinationPort, seq, ack, flags, window, NO_PAYLOAD);
    }

    private static ByteBuffer wrap(byte[] payload) {
        return payload.length == 0 ? NO_PAYLOAD : ByteBuffer.wrap(payload);
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

    /** The MSS option's value, if the segment has one. */
    public OptionalInt maxSegmentSize() {
        return mss == ABSENT ? OptionalInt.empty() : OptionalInt.of(mss);
    }

    /** The window scale option's shift, if the segment has one. */
    public OptionalInt windowScale() {
        return windowShift == ABSENT ? OptionalInt.empty() : OptionalInt.of(windowShift);
    }

    /** The timestamps option, if the segment has one. */
    public Optional<TcpOption.Timestamps> timestamps() {
        return hasTimestamps ? Optional.of(new TcpOption.Timestamps(Integer.toUnsignedLong(timestampValue),
                Integer.toUnsignedLong(timestampEcho))) : Optional.empty();
    }

    /** This segment carrying the timestamps option (RFC 7323 §3); the values are 32-bit. */
    public TcpRepr withTimestamps(long value, long echoReply) {
        return new TcpRepr(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, mss, windowShift,
                sackPermitted, true, (int) value, (int) echoReply, sackBlocks, payload);
    }

    /** This segment carrying SACK blocks (RFC 2018 §3); the caller keeps to what fits. */
    public TcpRepr withSackBlocks(List<TcpOption.SackBlock> blocks) {
        return new TcpRepr(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, mss, windowShift,
                sackPermitted, hasTimestamps, timestampValue, timestampEcho, blocks, payload);
    }

    /** This segment with the SYN options: MSS, window scale (if any) and SACK-permitted. */
    public TcpRepr withSynOptions(int mss, OptionalInt scale, boolean sackOk) {
        return new TcpRepr(sourcePort, destinationPort, seqNumber, ackNumber, flags, window, mss, scale.orElse(ABSENT),
                sackOk, hasTimestamps, timestampValue, timestampEcho, sackBlocks, payload);
    }

    /** How many SACK blocks fit beside timestamps (or without them) in a non-SYN segment. */
    public static int maxSackBlocks(boolean withTimestamps) {
        return withTimestamps ? 3 : 4;
    }

    /**
     * Verifies the checksum with the pseudo-header, refuses port 0, and parses the options strictly
     * (see {@link TcpOption#parseAll}, whose checks this shares without making an object per option).
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
        return parse(new TcpRepr(), p, source.bits(), destination.bits(), checksumVouched, p.payload());
    }

    private static TcpRepr parse(TcpRepr into, TcpPacket p, int source, int destination, boolean checksumVouched,
                                 ByteBuffer payload) throws WireFormatException {
        if (!checksumVouched && !p.verifyChecksum(source, destination)) {
            throw new WireFormatException(WireError.TCP_BAD_CHECKSUM);
        }
        if (p.sourcePort() == 0 || p.destinationPort() == 0) {
            throw new WireFormatException(WireError.TCP_BAD_PORT);
        }
        int mss = ABSENT;
        int scale = ABSENT;
        boolean sack = false;
        boolean stamps = false;
        int stampValue = 0;
        int stampEcho = 0;
        List<TcpOption.SackBlock> blocks = List.of();
        ByteBuffer b = p.buffer();
        int end = p.offset() + p.headerLength();
        for (int i = p.offset() + TcpPacket.MIN_HEADER_LEN; i < end; ) {
            int next = TcpOption.next(b, i, end); // fails the segment on a malformed option
            switch (b.get(i) & 0xFF) {
                case TcpOption.KIND_MSS -> mss = b.getShort(i + 2) & 0xFFFF;
                case TcpOption.KIND_WINDOW_SCALE -> scale = b.get(i + 2) & 0xFF;
                case TcpOption.KIND_SACK_PERMITTED -> sack = true;
                case TcpOption.KIND_SACK -> blocks = List.copyOf(TcpOption.sackBlocks(b, i));
                case TcpOption.KIND_TIMESTAMPS -> {
                    stamps = true;
                    stampValue = b.getInt(i + 2);
                    stampEcho = b.getInt(i + 6);
                }
                default -> { } // end of list, no-operation, or a kind we skip
            }
            i = next;
        }
        // Options each valid and packed tighter than our layout (no NOP padding) can need more than 40 bytes as
        // we hold them. SACK is advisory (RFC 2018 §3 and §8): keep the first blocks, the most recent ones.
        while (!blocks.isEmpty() && optionsLength(mss, scale, sack, stamps, blocks.size()) > MAX_OPTIONS_LEN) {
            blocks = blocks.subList(0, blocks.size() - 1);
        }
        return into.set(p.sourcePort(), p.destinationPort(), p.seqNumber(), p.ackNumber(), p.flags(), p.window(),
                mss, scale, sack, stamps, stampValue, stampEcho, blocks, payload);
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

    private static int optionsLength(int mss, int scale, boolean sackOk, boolean timestamps, int sackBlocks) {
        int len = mss != ABSENT ? 4 : 0;
        if (sackOk || timestamps) {
            len += (sackOk ? 2 : 0) + (timestamps ? 10 : 0);
            len = (len + 3) & ~3; // NOP padding in front of a lone option
        }
        if (scale != ABSENT) {
            len += 4; // NOP + 3
        }
        if (sackBlocks > 0) {
            len += 4 + 8 * sackBlocks; // NOP NOP + kind, length and the blocks
        }
        return len;
    }

    private int optionsLength() {
        return optionsLength(mss, windowShift, sackPermitted, hasTimestamps, sackBlocks.size());
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
        if (mss != ABSENT) {
            p.putByte(at, TcpOption.KIND_MSS);
            p.putByte(at + 1, 4);
            p.putByte(at + 2, mss >>> 8);
            p.putByte(at + 3, mss);
            at += 4;
        }
        if (sackPermitted || hasTimestamps) {
            if (!(sackPermitted && hasTimestamps)) {
                p.putByte(at++, TcpOption.KIND_NOP);
                p.putByte(at++, TcpOption.KIND_NOP);
            }
            if (sackPermitted) {
                p.putByte(at, TcpOption.KIND_SACK_PERMITTED);
                p.putByte(at + 1, 2);
                at += 2;
            }
            if (hasTimestamps) {
                p.putByte(at, TcpOption.KIND_TIMESTAMPS);
                p.putByte(at + 1, 10);
                p.putInt(at + 2, timestampValue);
                p.putInt(at + 6, timestampEcho);
                at += 10;
            }
        }
        if (windowShift != ABSENT) {
            p.putByte(at, TcpOption.KIND_NOP);
            p.putByte(at + 1, TcpOption.KIND_WINDOW_SCALE);
            p.putByte(at + 2, 3);
            p.putByte(at + 3, windowShift);
            at += 4;
        }
        if (!sackBlocks.isEmpty()) {
            p.putByte(at, TcpOption.KIND_NOP);
            p.putByte(at + 1, TcpOption.KIND_NOP);
            p.putByte(at + 2, TcpOption.KIND_SACK);
            p.putByte(at + 3, 2 + 8 * sackBlocks.size());
            at += 4;
            for (int i = 0; i < sackBlocks.size(); i++) {
                p.putInt(at, sackBlocks.get(i).left());
                p.putInt(at + 4, sackBlocks.get(i).right());
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
                && r.mss == mss && r.windowShift == windowShift && r.sackPermitted == sackPermitted
                && r.hasTimestamps == hasTimestamps && r.timestampValue == timestampValue
                && r.timestampEcho == timestampEcho
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
        if (mss != ABSENT) {
            s.append(" mss=").append(mss);
        }
        if (windowShift != ABSENT) {
            s.append(" wscale=").append(windowShift);
        }
        if (sackPermitted) {
            s.append(" sackOK");
        }
        if (hasTimestamps) {
            s.append(" TS val ").append(Integer.toUnsignedString(timestampValue)).append(" ecr ")
                    .append(Integer.toUnsignedString(timestampEcho));
        }
        if (!sackBlocks.isEmpty()) {
            s.append(" sack");
            sackBlocks.forEach(b -> s.append(' ').append(Integer.toUnsignedString(b.left())).append('-')
                    .append(Integer.toUnsignedString(b.right())));
        }
        return s.toString();
    }
}
