package morgana.netstack.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.StackStats;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.TcpOption;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;

/**
 * One connection's state machine (RFC 9293 §3.10). {@link #process} consumes a segment addressed to it and
 * {@link #dispatch} emits what it owes the peer: SYN, data, FIN, ACKs, retransmissions and probes.
 *
 * <p>Options are negotiated on the SYNs: MSS (RFC 9293 §3.7.1), window scaling and timestamps (RFC 7323),
 * SACK (RFC 2018). Out-of-order data waits in a {@link ReassemblyQueue}; losses are repaired by the RTO
 * (RFC 6298), NewReno fast recovery (RFC 6582) or, with SACK, the conservative recovery of RFC 6675; the
 * window comes from a {@link CongestionControl}. A recovery shown needless by timestamps (RFC 3522) or D-SACK
 * (RFC 3708) is undone, and the duplicate-ACK threshold then follows the reordering seen (RFC 4653 §3). The
 * receiver delays ACKs (RFC 1122 §4.2.3.2) and avoids the silly window syndrome on both sides (RFC 1122
 * §4.2.3.3, §4.2.3.4).
 */
final class TcpSocket implements TcpConnection {

    /** RFC 9293 §3.7.1: the MSS to assume when the peer sends none. */
    static final int DEFAULT_MSS = 536;
    /** The smallest peer MSS we honour (Linux's TCP_MIN_MSS): an MSS of 0 or 1 would stall or flood. */
    static final int MIN_MSS = 88;
    /** Bytes the timestamps option takes in every segment once negotiated (RFC 7323 §3.2, with two NOPs). */
    static final int TIMESTAMPS_LEN = 12;
    /** RFC 7323 §5.5: a TS.Recent older than 24 days is too old for PAWS. */
    static final Duration PAWS_IDLE = Duration.ofDays(24);
    /** Duplicate ACKs owed for out-of-order segments that one dispatch may send. */
    static final int MAX_OWED_ACKS = 8;
    /** The most reordering, in segments, the duplicate-ACK threshold follows (Linux's tcp_max_reordering). */
    static final int MAX_REORDERING = 300;

    private final TcpLayer layer;
    private final TcpConfig config;
    private final StackStats stats;
    final Ipv4Address localIp;
    final int localPort;
    final Ipv4Address remoteIp;
    final int remotePort;
    private final int localMss;

    private TcpState state;
    /** The listener this passively opened connection reports to until it is established or gone. */
    private TcpListenerSocket pendingListener;

    // Negotiated on the SYNs.
    private int sendMss = DEFAULT_MSS;
    private int sndShift;
    private int rcvShift;
    private boolean sackOk;
    private boolean tsOk;
    private int tsRecent;
    private Instant tsRecentAt;
    private int lastAckSent;
    private final int tsOffset;
    private boolean nagle;
    private boolean peerOfferedScale;

    // Send sequence space (RFC 9293 §3.3.1). sndMax is the highest sequence number sent so far plus one:
    // after a timeout sndNxt goes back to sndUna (go-back-N) and acks up to sndMax stay acceptable.
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private long sndWnd;
    private int sndWl1;
    private int sndWl2;
    private long maxSndWnd;
    private final ByteRing sendBuffer;
    private boolean finQueued;
    private boolean finEverSent;
    private int finSeq;

    // Loss recovery and congestion control.
    private CongestionControl cc;
    private final SackScoreboard scoreboard = new SackScoreboard();
    private boolean inRecovery;
    /** RFC 6582 "recover": no new fast recovery until SND.UNA passes it. */
    private int recover;
    /** RFC 6675 HighRxt: the end of the highest sequence space retransmitted in this recovery. */
    private int highRxt;
    private int duplicateAcks;
    private boolean retransmitHead;
    /** The TSval of this recovery's first retransmission, for spotting a spurious one (RFC 3522). */
    private int recoveryTsval;
    private boolean recoveryUndoable;
    /** RFC 3708: the D-SACK blocks that would show every retransmission of this recovery needless. */
    private final DsackUndo dsackUndo = new DsackUndo();
    /**
     * How many segments the path was seen to reorder by, plus one (Linux's tp->reordering): the duplicate-ACK
     * threshold, 3 until reordering is seen (RFC 4653 §3 raises DupThresh for the same reason).
     */
    private int reordering = SackScoreboard.DUP_THRESH;
    /** The end of the highest sequence space ever retransmitted: data above it that arrives late was reordered. */
    private int highestRetransmitted;
    /** Our TSval when the RTO last fired: ACKs echoing older ones cannot give a true RTT sample. */
    private int timeoutTsval;
    private boolean timedOut;

    // Receive sequence space.
    private int irs;
    private int rcvNxt;
    /** RCV.NXT as a 64-bit offset into the peer's byte stream (0 = the first data byte). */
    private long rcvNxtOffset;
    private final ByteRing receiveBuffer;
    private final ReassemblyQueue outOfOrder;
    private long peerFinOffset = -1;
    private boolean finReceived;
    private int advertisedRightEdge;
    /** A duplicate segment to report as the first SACK block of the next ACK (D-SACK, RFC 2883). */
    private TcpOption.SackBlock duplicateReceived;

    // Timers and pending output.
    private final RetransmitTimer retransmit;
    private int retries;
    private boolean timing;
    private int timedSeq;
    private Instant timedAt;
    private boolean forceProbe;
    private Instant timeWaitDeadline;
    private Instant finWait2Deadline;
    /** When the first segment an ACK is held back for arrived (RFC 1122 §4.2.3.2): the delay runs from there. */
    private Instant delayedAckFrom;
    private int segmentsUnacked;
    private Instant lastHeard;
    private int keepAliveProbes;
    private Optional<TcpConfig.KeepAlive> keepAlive;
    private int segmentationLimit;
    /** How long a connection's empty rings keep their arrays after the peer was last heard. */
    static final Duration BUFFER_RELEASE_DELAY = Duration.ofMillis(200); // the sink's TSO limit at the last dispatch: 0, or the largest IPv4 packet
    private boolean ackNow;
    /** Duplicate ACKs owed for out-of-order segments (RFC 5681 §4.2: ACK each one at once). */
    private int duplicateAcksOwed;
    private boolean resetToSend;
    private boolean resetByPeer;
    private Instant lastNow = Instant.EPOCH;

    private TcpSocket(TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp, int localPort,
                      Ipv4Address remoteIp, int remotePort, int localMss, int iss) {
        this.layer = layer;
        this.config = config;
        this.stats = stats;
        this.localIp = localIp;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.localMss = localMss;
        this.sendBuffer = new ByteRing(config.sendBuffer());
        this.receiveBuffer = new ByteRing(config.receiveBuffer());
        this.outOfOrder = new ReassemblyQueue(layer.reassemblyBudget());
        this.retransmit = new RetransmitTimer(config.minRto());
        this.nagle = config.nagle();
        this.keepAlive = config.keepAlive();
        this.iss = iss;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.recover = iss;
        this.highRxt = iss;
        this.highestRetransmitted = iss;
        this.tsOffset = Integer.rotateLeft(iss, 13) ^ 0x5bd1e995; // RFC 7323 §5.4: not the bare clock
    }

    /** Active open (RFC 9293 §3.10.1): the SYN goes out at the next dispatch. */
    static TcpSocket connecting(TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp, int localPort,
                                Ipv4Address remoteIp, int remotePort, int localMss, int iss) {
        TcpSocket s = new TcpSocket(layer, config, stats, localIp, localPort, remoteIp, remotePort, localMss, iss);
        s.state = TcpState.SYN_SENT;
        return s;
    }

    /** Passive open: a SYN reached a listener in LISTEN (RFC 9293 §3.10.7.2, third check). */
    static TcpSocket accepting(Instant now, TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp,
                               Ipv4Address remoteIp, TcpRepr syn, int localMss, int iss, TcpListenerSocket listener) {
        TcpSocket s = new TcpSocket(layer, config, stats, localIp, syn.destinationPort(), remoteIp, syn.sourcePort(),
                localMss, iss);
        s.state = TcpState.SYN_RECEIVED;
        s.pendingListener = listener;
        s.synchronizeWith(now, syn);
        return s;
    }

    /**
     * A connection whose SYN-ACK was a SYN cookie (RFC 4987 §3.6), opened by the ACK that returned it: established
     * at once with what the cookie carried, and without timestamps.
     */
    static TcpSocket fromCookie(Instant now, TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp,
                                Ipv4Address remoteIp, TcpRepr ack, int localMss, SynCookies.Decoded cookie) {
        int iss = ack.ackNumber() - 1;
        TcpSocket s = new TcpSocket(layer, config, stats, localIp, ack.destinationPort(), remoteIp, ack.sourcePort(),
                localMss, iss);
        s.state = TcpState.ESTABLISHED;
        s.irs = ack.seqNumber() - 1;
        s.rcvNxt = ack.seqNumber();
        s.sendMss = clampMss(cookie.mss(), localMss);
        if (cookie.peerWindowScale().isPresent()) {
            s.sndShift = cookie.peerWindowScale().getAsInt();
            s.rcvShift = s.wantedReceiveShift();
        }
        s.sackOk = cookie.sackPermitted();
        s.sndUna = iss + 1;
        s.sndNxt = iss + 1;
        s.sndMax = iss + 1;
        s.recover = s.sndUna;
        s.highRxt = s.sndUna;
        s.highestRetransmitted = s.sndUna;
        s.sndWnd = (long) ack.window() << s.sndShift;
        s.maxSndWnd = s.sndWnd;
        s.sndWl1 = ack.seqNumber();
        s.sndWl2 = ack.ackNumber();
        s.advertisedRightEdge = s.rcvNxt + s.receiveWindowBytes();
        s.lastAckSent = s.rcvNxt;
        s.lastHeard = now;
        s.cc = CongestionControl.create(config.congestionControl(), s.effectiveMss());
        return s;
    }

    private static int clampMss(int peerMss, int localMss) {
        return Math.max(MIN_MSS, Math.min(localMss, peerMss));
    }

    /** The smallest shift that lets the receive buffer be advertised whole (RFC 7323 §2.3: at most 14). */
    private int wantedReceiveShift() {
        return windowShiftFor(receiveBuffer.capacity());
    }

    static int windowShiftFor(int receiveBuffer) {
        int shift = 0;
        while (shift < 14 && (receiveBuffer >> shift) > 0xFFFF) {
            shift++;
        }
        return shift;
    }

    /**
     * Takes the peer's SYN (or SYN-ACK): its ISN, MSS, window and the options both sides agreed on. For an
     * active open the options we offered are those the configuration allows, so the same test applies.
     */
    private void synchronizeWith(Instant now, TcpRepr syn) {
        irs = syn.seqNumber();
        rcvNxt = irs + 1;
        sendMss = clampMss(syn.maxSegmentSize().orElse(DEFAULT_MSS), localMss);
        if (config.windowScaling() && syn.windowScale().isPresent()) {
            peerOfferedScale = true;
            sndShift = Math.min(14, syn.windowScale().getAsInt()); // RFC 7323 §2.3: log a shift above 14, use 14
            rcvShift = wantedReceiveShift();
        }
        sackOk = config.sack() && syn.sackPermitted();
        if (config.timestamps() && syn.hasTimestamps()) {
            tsOk = true;
            tsRecent = syn.timestampValue();
            tsRecentAt = now;
        }
        sndWnd = syn.window(); // a SYN's window is never scaled (RFC 7323 §2.2)
        maxSndWnd = sndWnd;
        sndWl1 = syn.seqNumber();
        sndWl2 = syn.ackNumber();
        advertisedRightEdge = rcvNxt;
        lastAckSent = rcvNxt;
        lastHeard = now;
        cc = CongestionControl.create(config.congestionControl(), effectiveMss());
    }

    // ---- the application's side (TcpConnection) ----

    @Override
    public int read(ByteBuffer dst) {
        if (receiveBuffer.isEmpty()) {
            return finReceived || state == TcpState.CLOSED ? -1 : 0;
        }
        return receiveBuffer.read(dst);
    }

    @Override
    public int write(ByteBuffer src) {
        return canWrite() ? sendBuffer.write(src) : 0;
    }

    @Override
    public int write(ByteSource source, int length) {
        return canWrite() ? sendBuffer.write(source, length) : 0;
    }

    @Override
    public int writableBytes() {
        return canWrite() ? sendBuffer.free() : 0;
    }

    private boolean canWrite() {
        return !finQueued && switch (state) {
            case SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> true;
            default -> false;
        };
    }

    @Override
    public int unacknowledgedBytes() {
        return sendBuffer.size();
    }

    /**
     * An empty ring that still holds its array: it gives it back {@link #BUFFER_RELEASE_DELAY} after the peer was
     * last heard. A connection moving data keeps its arrays; one gone quiet holds none soon after.
     */
    private boolean holdsIdleBuffers() {
        return (sendBuffer.isEmpty() && sendBuffer.allocated() > 0)
                || (receiveBuffer.isEmpty() && receiveBuffer.allocated() > 0);
    }

    /** Bytes of buffer array the connection holds now, both ways: what it costs beyond its own fields. */
    int bufferMemory() {
        return sendBuffer.allocated() + receiveBuffer.allocated();
    }

    @Override
    public void setNagle(boolean on) {
        nagle = on;
    }

    @Override
    public boolean nagle() {
        return nagle;
    }

    @Override
    public void setKeepAlive(boolean on) {
        keepAlive = on ? Optional.of(config.keepAlive().orElse(TcpConfig.KeepAlive.LINUX_DEFAULTS)) : Optional.empty();
        keepAliveProbes = 0;
    }

    @Override
    public boolean keepAlive() {
        return keepAlive.isPresent();
    }

    @Override
    public void setSendBufferSize(int bytes) {
        sendBuffer.setCapacity(bytes);
    }

    @Override
    public int sendBufferSize() {
        return sendBuffer.capacity();
    }

    /**
     * Before our SYN or SYN-ACK the size also picks the window scale we offer; after it, the window we
     * advertise never shrinks (RFC 9293 §3.8.6), so a smaller buffer shows only as the window closes.
     */
    @Override
    public void setReceiveBufferSize(int bytes) {
        if (bytes > TcpConfig.MAX_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("the receive buffer is 1 byte to 1 GiB (window scale 14), not " + bytes);
        }
        receiveBuffer.setCapacity(bytes);
    }

    @Override
    public int receiveBufferSize() {
        return receiveBuffer.capacity();
    }

    /** RFC 9293 §3.10.4 (CLOSE call): queue a FIN after the data; ESTABLISHED goes to FIN_WAIT_1 at once. */
    @Override
    public void shutdownOutput() {
        if (finQueued) {
            return;
        }
        switch (state) {
            case SYN_SENT -> close(false);
            case SYN_RECEIVED -> finQueued = true; // goes to FIN_WAIT_1 once established
            case ESTABLISHED -> {
                finQueued = true;
                state = TcpState.FIN_WAIT_1;
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = TcpState.LAST_ACK;
            }
            default -> { }
        }
    }

    /** RFC 9293 §3.10.5 (ABORT call): send RST if synchronized, flush both buffers, go to CLOSED. */
    @Override
    public void abort() {
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> resetToSend = true;
            default -> { }
        }
        close(false);
    }

    @Override
    public TcpState state() {
        return state;
    }

    /** True when the peer reset the connection, or it was given up after too many retransmissions. */
    public boolean wasReset() {
        return resetByPeer;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(localIp.toInetAddress(), localPort);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(remoteIp.toInetAddress(), remotePort);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + localIp + ":" + localPort + " <-> " + remoteIp + ":" + remotePort + " " + state + "]";
    }

    // ---- segment arrival (RFC 9293 §3.10.7) ----

    void process(Instant now, TcpRepr seg) {
        lastNow = now;
        switch (state) {
            case SYN_SENT -> processInSynSent(now, seg);
            case CLOSED, LISTEN -> stats.dropped(DropReason.TCP_IGNORED);
            default -> processSynchronized(now, seg);
        }
    }

    /**
     * An ICMP protocol or port unreachable about one of our segments (RFC 1122 §4.2.3.9 calls these hard
     * errors). Only a connection still in SYN_SENT gives up, and only when the quoted sequence number is its
     * SYN's, which an off-path forger would have to guess (RFC 5927 §4.1); later on, RFC 5461 §4 advises
     * against aborting, so the error is ignored.
     */
    void hardError(int quotedSeq) {
        if (state == TcpState.SYN_SENT && quotedSeq == iss) {
            resetByPeer = true; // what the application sees as "connection refused"
            close(false);
        }
    }

    /** RFC 9293 §3.10.7.3. */
    private void processInSynSent(Instant now, TcpRepr seg) {
        if (seg.ack() && (Seq.le(seg.ackNumber(), iss) || Seq.gt(seg.ackNumber(), sndMax))) {
            if (!seg.rst()) {
                layer.queueReset(localIp, remoteIp, TcpRepr.of(localPort, remotePort, seg.ackNumber(), 0,
                        TcpPacket.RST, 0));
            }
            stats.dropped(DropReason.TCP_UNACCEPTABLE_ACK);
            return;
        }
        if (seg.rst()) {
            if (seg.ack()) {
                resetByPeer = true; // "error: connection reset"
                close(false);
            } else {
                stats.dropped(DropReason.TCP_IGNORED);
            }
            return;
        }
        if (!seg.syn()) {
            stats.dropped(DropReason.TCP_IGNORED);
            return;
        }
        synchronizeWith(now, seg);
        if (seg.ack()) {
            if (tsOk) {
                sampleTimestampRtt(now, seg);
            }
            acknowledge(now, seg.ackNumber());
            sndWl1 = seg.seqNumber();
            sndWl2 = seg.ackNumber();
            establish();
            ackNow = true;
            receiveData(now, seg.seqNumber() + 1, seg.payload(), seg.fin());
        } else {
            // simultaneous open (RFC 9293 §3.5, figure 8): answer with SYN-ACK from the same ISS
            state = TcpState.SYN_RECEIVED;
            sndNxt = iss;
        }
    }

    /** RFC 9293 §3.10.7.4, for every state after SYN_SENT. */
    private void processSynchronized(Instant now, TcpRepr seg) {
        if (state == TcpState.SYN_RECEIVED && seg.syn() && seg.ack() && seg.seqNumber() == irs) {
            seg = withoutSyn(seg); // simultaneous open (RFC 9293 figure 8): the SYN is old, its ACK is news
        }
        int seq = seg.seqNumber();
        if (state == TcpState.SYN_RECEIVED && seg.syn() && !seg.ack() && seq == irs) {
            sndNxt = iss; // our SYN-ACK was lost: send it again
            return;
        }
        // RFC 7323 §5.3 R1: PAWS, before the sequence number test.
        if (tsOk && !seg.rst() && seg.hasTimestamps() && tsRecentAt != null
                && Seq.lt(seg.timestampValue(), tsRecent)
                && Duration.between(tsRecentAt, now).compareTo(PAWS_IDLE) < 0) {
            ackNow = true;
            noteDuplicate(seg);
            stats.dropped(DropReason.TCP_PAWS_REJECTED);
            return;
        }
        // First: the sequence number test.
        if (!acceptable(seg)) {
            if (!seg.rst()) {
                ackNow = true;
                noteDuplicate(seg);
            }
            if (state == TcpState.TIME_WAIT && seg.fin()) {
                timeWaitDeadline = now.plus(config.timeWait()); // a retransmitted FIN restarts 2*MSL
            }
            stats.dropped(DropReason.TCP_OUT_OF_WINDOW);
            return;
        }
        lastHeard = now;
        keepAliveProbes = 0;
        // Second: RST. RFC 5961 §3.2: only an exact match resets; in-window otherwise earns a challenge ACK.
        if (seg.rst()) {
            if (seq != rcvNxt) {
                challengeAck(now);
                return;
            }
            if (state != TcpState.CLOSING && state != TcpState.LAST_ACK && state != TcpState.TIME_WAIT) {
                resetByPeer = true;
            }
            close(false);
            return;
        }
        // Fourth: SYN in a synchronized state. RFC 5961 §4.2: challenge ACK, never reset.
        if (seg.syn()) {
            challengeAck(now);
            return;
        }
        // Fifth: ACK.
        if (!seg.ack()) {
            stats.dropped(DropReason.TCP_IGNORED);
            return;
        }
        // RFC 7323 §4.3 (2): remember the newest timestamp of a segment that covers the last ACK we sent.
        if (tsOk && seg.hasTimestamps() && Seq.le(seq, lastAckSent)
                && Seq.ge(seg.timestampValue(), tsRecent)) {
            tsRecent = seg.timestampValue();
            tsRecentAt = now;
        }
        int ack = seg.ackNumber();
        if (state == TcpState.SYN_RECEIVED) {
            if (Seq.lt(sndUna, ack) && Seq.le(ack, sndMax)) {
                establish();
                sndWnd = (long) seg.window() << sndShift;
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndWl1 = seq;
                sndWl2 = ack;
            } else {
                layer.queueReset(localIp, remoteIp, TcpRepr.of(localPort, remotePort, ack, 0, TcpPacket.RST, 0));
                stats.dropped(DropReason.TCP_UNACCEPTABLE_ACK);
                return;
            }
        }
        if (Seq.gt(ack, sndMax)) {
            ackNow = true; // acks something not yet sent (RFC 9293 §3.10.7.4, fifth, ESTABLISHED)
            stats.dropped(DropReason.TCP_UNACCEPTABLE_ACK);
            return;
        }
        if (Seq.lt(ack, sndUna - (int) Math.min(maxSndWnd, Integer.MAX_VALUE))) {
            challengeAck(now); // too old to be ours (RFC 5961 §5.2)
            stats.dropped(DropReason.TCP_UNACCEPTABLE_ACK);
            return;
        }
        onAck(now, seg);
        boolean finAcked = finEverSent && Seq.gt(sndUna, finSeq);
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    state = TcpState.FIN_WAIT_2;
                    finWait2Deadline = now.plus(config.finWait2Timeout());
                }
            }
            case FIN_WAIT_2 -> finWait2Deadline = now.plus(config.finWait2Timeout());
            case CLOSING -> {
                if (finAcked) {
                    enterTimeWait(now);
                }
                return;
            }
            case LAST_ACK -> {
                if (finAcked) {
                    close(true);
                }
                return;
            }
            case TIME_WAIT -> {
                if (seg.fin()) {
                    ackNow = true; // RFC 9293: acknowledge a retransmitted FIN and restart 2*MSL
                    timeWaitDeadline = now.plus(config.timeWait());
                }
                return;
            }
            default -> { }
        }
        if (sndUna == sndMax && sndWnd > 0) {
            retransmit.disarm(); // nothing in flight and the window is open: no persist timer either
        }
        // Seventh and eighth: the data and the FIN.
        receiveData(now, seq, seg.payload(), seg.fin());
    }

    private static TcpRepr withoutSyn(TcpRepr seg) {
        return new TcpRepr(seg.sourcePort(), seg.destinationPort(), seg.seqNumber() + 1, seg.ackNumber(),
                seg.flags() & ~TcpPacket.SYN, seg.window(), TcpRepr.ABSENT, TcpRepr.ABSENT, false,
                seg.hasTimestamps(), seg.timestampValue(), seg.timestampEcho(), seg.sackBlocks(), seg.payload());
    }

    /**
     * RFC 2883 §4: data we already had is reported in the next ACK as a D-SACK block; the peer's sender can then
     * tell a needless retransmission (RFC 3708), as ours does with {@link DsackUndo}.
     */
    private void noteDuplicate(TcpRepr seg) {
        int length = seg.payloadLength();
        if (sackOk && length > 0 && Seq.le(seg.seqNumber() + length, rcvNxt)) {
            duplicateReceived = new TcpOption.SackBlock(seg.seqNumber(), seg.seqNumber() + length);
        }
    }

    /** RFC 5961 §7: challenge ACKs share one rate limit per layer, so they cannot be turned into a flood. */
    private void challengeAck(Instant now) {
        stats.dropped(DropReason.TCP_CHALLENGED);
        if (layer.allowChallengeAck(now)) {
            ackNow = true;
        } else {
            stats.dropped(DropReason.TCP_CHALLENGE_ACK_RATE_LIMITED);
        }
    }

    /**
     * An acceptable ACK: SND.UNA, the SACK scoreboard, the RTT, loss detection and recovery (RFC 5681 §3.2,
     * RFC 6582 §3.2, RFC 6675 §5), and the send window (RFC 9293 §3.10.7.4, fifth, SND.WL1/SND.WL2).
     */
    private void onAck(Instant now, TcpRepr seg) {
        int ack = seg.ackNumber();
        int seq = seg.seqNumber();
        long window = (long) seg.window() << sndShift;
        boolean advanced = Seq.gt(ack, sndUna);
        boolean newlySacked = false;
        int mss = effectiveMss();
        if (advanced && tsOk) {
            sampleTimestampRtt(now, seg);
        }
        retries = 0; // the peer is alive (RFC 9293 §3.8.6.1 keeps probing a zero window while it answers)
        if (advanced) {
            int acked = ack - sndUna;
            if (inRecovery && recoveryUndoable && isEcho(seg) && Seq.lt(echo(seg), recoveryTsval)) {
                // RFC 3522 (Eifel): the ACK echoes a timestamp older than our retransmission, so the original
                // arrived: the loss was reordering, by at least what this ACK covers.
                undoSpuriousRecovery(acked);
            } else if (!scoreboard.isEmpty() && Seq.ge(sndUna, highestRetransmitted)) {
                // The hole at SND.UNA was filled by its original, never retransmitted, after the peer had SACKed
                // data above it: the path reordered by that much (Linux's tcp_check_sack_reordering).
                noteReordering(scoreboard.highestSacked() - sndUna);
            }
            recoveryUndoable = false;
            acknowledge(now, ack);
            if (inRecovery) {
                if (Seq.ge(ack, recover)) {
                    inRecovery = false; // RFC 6582 §3.2 step 3: full acknowledgment
                    cc.onRecoveryExit();
                } else if (!sackOk) {
                    retransmitHead = true; // RFC 6582 §3.2 step 3: partial acknowledgment
                    retransmit.arm(now);
                }
            } else {
                cc.onAck(now, acked, retransmit.smoothedRttNanos());
            }
        }
        boolean dsack = sackOk && isDsack(seg);
        if (dsack) {
            TcpOption.SackBlock d = seg.sackBlocks().getFirst();
            if (dsackUndo.duplicateReported(d.left(), d.right())) {
                // RFC 3708 §3: every retransmission of the last recovery arrived twice, so none was needed; the
                // original of the first arrived when the peer had everything below this ACK.
                undoSpuriousRecovery(ack - d.left());
            }
        }
        if (sackOk && !seg.sackBlocks().isEmpty()) {
            newlySacked = scoreboard.update(seg.sackBlocks(), sndUna, sndMax);
        }
        boolean duplicate = !advanced && ack == sndUna && sndUna != sndMax && seg.payloadLength() == 0
                && !seg.fin() && (newlySacked || (window == sndWnd && !dsack)); // a D-SACK alone is no news
        if (duplicate) {
            duplicateAcks++;
        }
        if (sackOk && !inRecovery) {
            // What the scoreboard holds counts as duplicate ACKs even when their count was reset by a partial
            // ACK or the end of a recovery: limited transmit then lets new data out to expose the next hole.
            duplicateAcks = Math.max(duplicateAcks, (scoreboard.sackedBytes() + mss - 1) / mss);
        }
        if (!inRecovery && Seq.ge(sndUna, recover) && sndUna != sndMax
                && (duplicateAcks >= duplicateThreshold()
                    || (sackOk && scoreboard.isLost(sndUna, mss, duplicateThreshold())))) {
            enterRecovery(now);
        }
        if (Seq.lt(sndWl1, seq) || (sndWl1 == seq && Seq.le(sndWl2, ack))) {
            sndWnd = window;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seq;
            sndWl2 = ack;
        }
    }

    /**
     * DupThresh, 3 (RFC 5681 §3.2), lowered by early retransmit (RFC 5827 §3.1) when fewer than four segments
     * are outstanding and no new data waits: then every outstanding segment but one must be answered. On a path
     * seen to reorder it is the reordering seen (RFC 4653 §3; Linux's tp->reordering), but never more than the
     * segments that can still be SACKed above a lost one (the peer's window, or what there is to send, less
     * one), so that a real loss is still found without waiting for the RTO.
     */
    private int duplicateThreshold() {
        int mss = effectiveMss();
        int outstanding = (sndMax - sndUna + mss - 1) / mss;
        if (outstanding < SackScoreboard.DUP_THRESH + 1 && unsentBytes() == 0) {
            return Math.max(1, outstanding - 1);
        }
        if (reordering <= SackScoreboard.DUP_THRESH) {
            return SackScoreboard.DUP_THRESH;
        }
        long canBeOutstanding = Math.min(sndWnd, (long) (sndMax - sndUna) + unsentBytes());
        int reachable = (int) Math.max(SackScoreboard.DUP_THRESH, canBeOutstanding / mss - 1);
        return Math.min(reordering, reachable);
    }

    /**
     * RFC 2883 §4: the first SACK block reports a duplicate when it lies below the cumulative ACK, or within the
     * second block.
     */
    private static boolean isDsack(TcpRepr seg) {
        List<TcpOption.SackBlock> blocks = seg.sackBlocks();
        if (blocks.isEmpty() || !Seq.lt(blocks.getFirst().left(), blocks.getFirst().right())) {
            return false;
        }
        TcpOption.SackBlock first = blocks.getFirst();
        if (Seq.le(first.right(), seg.ackNumber())) {
            return true;
        }
        return blocks.size() > 1 && Seq.ge(first.left(), blocks.get(1).left())
                && Seq.le(first.right(), blocks.get(1).right());
    }

    /**
     * The last recovery was a false alarm (RFC 3522 §3.2 by timestamps, RFC 3708 §3 by D-SACK): restore the
     * window and threshold from before it (the Eifel response, RFC 4015 §3.2, without its RTO part), leave
     * recovery if still in it, and let the duplicate-ACK threshold follow the reordering seen.
     */
    private void undoSpuriousRecovery(int reorderedBytes) {
        cc.undo();
        if (inRecovery) {
            inRecovery = false;
            retransmitHead = false;
        }
        recoveryUndoable = false;
        dsackUndo.cancel();
        noteReordering(reorderedBytes);
        stats.dropped(DropReason.TCP_SPURIOUS_RETRANSMISSION);
    }

    /** {@code bytes} arrived before data sent earlier: DupThresh must exceed that many segments. */
    private void noteReordering(int bytes) {
        int mss = effectiveMss();
        int segments = (int) Math.min(MAX_REORDERING, ((long) Math.max(0, bytes) + mss - 1) / mss + 1);
        reordering = Math.max(reordering, segments);
    }

    private static boolean isEcho(TcpRepr seg) {
        return seg.hasTimestamps() && seg.timestampEcho() != 0;
    }

    private static int echo(TcpRepr seg) {
        return seg.timestampEcho();
    }

    /** RFC 6582 §3.2 step 2 / RFC 6675 §5 step 4: note the recovery point, shrink the window, resend the head. */
    private void enterRecovery(Instant now) {
        inRecovery = true;
        recover = sndMax;
        highRxt = sndUna;
        cc.onLossDetected(now, sndMax - sndUna);
        recoveryTsval = timestampClock(now);
        recoveryUndoable = tsOk;
        dsackUndo.start();
        retransmitHead = true;
        timing = false; // Karn: the retransmitted segment cannot be timed
        stats.tcpFastRetransmission();
    }

    /** RFC 7323 §4.1: an ACK of new data echoes the timestamp of the segment it answers. */
    private void sampleTimestampRtt(Instant now, TcpRepr seg) {
        if (!seg.hasTimestamps()) {
            return;
        }
        int echoed = seg.timestampEcho();
        int elapsed = timestampClock(now) - echoed;
        if (timedOut && Seq.lt(echoed, timeoutTsval)) {
            return; // Karn's rule for timestamps: this echoes a segment sent before the timeout, not its retransmission
        }
        timedOut = false;
        if (echoed != 0 && elapsed >= 0 && elapsed < RetransmitTimer.MAX_RTO.toMillis()) {
            retransmit.sample(Math.max(1, elapsed) * 1_000_000L);
            timing = false;
        }
    }

    /** Our TSval: milliseconds, offset per connection so the clock is not exposed (RFC 7323 §5.4, §7.1). */
    private int timestampClock(Instant now) {
        return (int) now.toEpochMilli() + tsOffset;
    }

    /**
     * The acceptability table of RFC 9293 §3.10.7.4, with the zero-window allowance for ACKs and RSTs, against
     * the window we last advertised (or the free buffer, if larger).
     */
    private boolean acceptable(TcpRepr seg) {
        int seq = seg.seqNumber();
        int len = seg.segmentLength();
        int wnd = Math.max(receiveBuffer.free(), advertisedRightEdge - rcvNxt);
        if (wnd == 0) {
            return seq == rcvNxt;
        }
        if (len == 0) {
            return Seq.inWindow(seq, rcvNxt, wnd);
        }
        return Seq.inWindow(seq, rcvNxt, wnd) || Seq.inWindow(seq + len - 1, rcvNxt, wnd);
    }

    /**
     * Takes in-order data into the receive buffer, queues out-of-order data, and processes a FIN that follows
     * all of it. ACKs: at once for out-of-order data, for data that fills a hole and for a FIN (RFC 5681 §4.2);
     * otherwise every second segment or after the delayed-ACK time (RFC 1122 §4.2.3.2).
     */
    private void receiveData(Instant now, int seq, ByteBuffer payload, boolean fin) {
        boolean receiving = state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1
                || state == TcpState.FIN_WAIT_2;
        if (!receiving) {
            if (payload.hasRemaining() || fin) {
                stats.dropped(DropReason.TCP_IGNORED); // the peer already closed; nothing more may follow its FIN
            }
            return;
        }
        int offset = 0;
        if (Seq.lt(seq, rcvNxt)) {
            offset = Math.min(payload.remaining(), rcvNxt - seq); // an overlapping retransmission: skip what we have
            seq += offset;
            if (payload.remaining() - offset == 0 && !(fin && seq == rcvNxt)) {
                if (payload.hasRemaining()) {
                    ackNow = true; // a duplicate: tell the peer where we are
                }
                return;
            }
        }
        int length = payload.remaining() - offset;
        if (seq != rcvNxt) {
            queueOutOfOrder(seq, payload, offset, length, fin);
            return;
        }
        int taken = Math.min(length, receiveBuffer.free());
        if (taken > 0) {
            receiveBuffer.write(payload, offset, taken);
            advanceRcvNxt(taken);
        }
        if (taken < length) {
            ackNow = true; // beyond our buffer: say where we stand
        }
        if (!outOfOrder.isEmpty()) {
            for (byte[] piece : outOfOrder.takeFrom(rcvNxtOffset)) {
                int n = Math.min(piece.length, receiveBuffer.free());
                receiveBuffer.write(piece, 0, n);
                advanceRcvNxt(n);
            }
            ackNow = true; // RFC 5681 §4.2: a segment that fills (part of) a hole is ACKed at once
        }
        if ((fin && taken == length) || rcvNxtOffset == peerFinOffset) {
            receiveFin(now);
        } else if (taken > 0) {
            segmentsUnacked++;
            if (segmentsUnacked >= 2 || config.delayedAck().isZero()) {
                ackNow = true;
            } else if (delayedAckFrom == null) {
                delayedAckFrom = now;
            }
        }
    }

    private void advanceRcvNxt(int n) {
        rcvNxt += n;
        rcvNxtOffset += n;
    }

    /** Holds data beyond RCV.NXT, within the buffer's free space, and ACKs at once so the sender learns of the hole. */
    private void queueOutOfOrder(int seq, ByteBuffer payload, int offset, int length, boolean fin) {
        ackNow = true;
        duplicateAcksOwed = Math.min(duplicateAcksOwed + 1, MAX_OWED_ACKS);
        long start = rcvNxtOffset + (seq - rcvNxt);
        long room = rcvNxtOffset + receiveBuffer.free() - start;
        int fits = (int) Math.max(0, Math.min(length, room));
        if (fits > 0 && !outOfOrder.insert(start, payload, offset, fits)) {
            stats.dropped(DropReason.TCP_OUT_OF_ORDER); // the layer's reassembly budget is spent
        } else if (fits == 0 && length > 0) {
            stats.dropped(DropReason.TCP_OUT_OF_ORDER);
        }
        if (fin && fits == length) {
            peerFinOffset = start + length;
        }
    }

    /** RFC 9293 §3.10.7.4, eighth: the FIN, after every byte before it. */
    private void receiveFin(Instant now) {
        rcvNxt += 1;
        rcvNxtOffset += 1;
        finReceived = true;
        ackNow = true;
        switch (state) {
            case ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finEverSent && Seq.gt(sndUna, finSeq)) {
                    enterTimeWait(now);
                } else {
                    state = TcpState.CLOSING; // simultaneous close
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(now);
            default -> { }
        }
    }

    /** SND.UNA advances to {@code ack}: free acknowledged data, measure the RTT, manage the timer (RFC 6298 §5). */
    private void acknowledge(Instant now, int ack) {
        int bufferStart = bufferStart();
        int ackedData = Math.max(0, Math.min(ack - bufferStart, sendBuffer.size()));
        sendBuffer.discard(ackedData);
        sndUna = ack;
        scoreboard.acknowledged(ack);
        if (Seq.lt(sndNxt, sndUna)) {
            sndNxt = sndUna; // the originals of a go-back-N retransmission arrived after all
        }
        if (Seq.lt(highRxt, sndUna)) {
            highRxt = sndUna;
        }
        if (timing && Seq.ge(ack, timedSeq)) {
            retransmit.sample(Elapsed.nanos(timedAt, now));
            timing = false;
        } else {
            // RFC 6298 §5 collapses a backed-off RTO only with a new sample; like Linux, we also collapse it
            // when new data is acknowledged, or a lossy path would back off to the maximum and stay there.
            retransmit.collapse();
        }
        duplicateAcks = 0;
        if (sndUna == sndMax) {
            retransmit.disarm(); // §5.2: all outstanding data acknowledged
        } else {
            retransmit.arm(now); // §5.3: new data acknowledged, restart
        }
    }

    private void establish() {
        if (pendingListener != null) {
            pendingListener.established(this);
            pendingListener = null;
        }
        state = finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
    }

    private void enterTimeWait(Instant now) {
        state = TcpState.TIME_WAIT;
        timeWaitDeadline = now.plus(config.timeWait());
        retransmit.disarm();
        outOfOrder.clear();
        layer.enteredTimeWait(this);
    }

    /** Ends TIME_WAIT before its deadline, without a word to the peer: the layer needs the room or the four-tuple. */
    void endTimeWait() {
        close(false);
    }

    /**
     * Whether {@code seg}, for this connection's four-tuple, is a new incarnation's SYN that may end TIME_WAIT
     * (RFC 1122 §4.2.2.13): beyond the old connection's RCV.NXT, or carrying a newer timestamp than it last
     * accepted (RFC 6191 §2), as Linux checks. Anything else is an old duplicate, answered as TIME_WAIT answers.
     */
    boolean admitsNewIncarnation(TcpRepr seg) {
        if (state != TcpState.TIME_WAIT || !seg.syn() || seg.ack() || seg.rst()) {
            return false;
        }
        boolean newerStamp = tsOk && seg.hasTimestamps()
                && Seq.gt(seg.timestampValue(), tsRecent);
        return newerStamp || Seq.gt(seg.seqNumber(), rcvNxt);
    }

    /** SND.MAX: past the last sequence number this connection sent (its FIN included). */
    int sendHighWater() {
        return sndMax;
    }

    private void close(boolean keepReceived) {
        if (pendingListener != null) {
            pendingListener.abandoned(this);
            pendingListener = null;
        }
        state = TcpState.CLOSED;
        sendBuffer.clear();
        outOfOrder.clear();
        if (!keepReceived) {
            receiveBuffer.clear();
        }
        retransmit.disarm();
        timeWaitDeadline = null;
        delayedAckFrom = null;
        ackNow = false;
        duplicateAcksOwed = 0;
    }

    // ---- segment departure ----

    /** The sequence number of the first byte in the send buffer. */
    private int bufferStart() {
        return Seq.gt(sndUna, iss) ? sndUna : iss + 1;
    }

    /** True when the FIN has been sent and SND.NXT is past it (no go-back-N since). */
    private boolean finOut() {
        return finEverSent && Seq.gt(sndNxt, finSeq);
    }

    private boolean synAcked() {
        return Seq.gt(sndUna, iss);
    }

    /**
     * How much new data one segment may carry: one MSS, or with segmentation offload as many whole MSS as
     * fit one IPv4 packet (the device cuts them into MSS-sized segments, which is what the peer sees).
     */
    private int maxNewSegment(int mss) {
        if (segmentationLimit == 0) {
            return mss;
        }
        int room = segmentationLimit - Ipv4Packet.MIN_HEADER_LEN - TcpPacket.MAX_HEADER_LEN;
        return Math.max(mss, room / mss * mss);
    }

    /** The payload of a full segment: the peer's MSS less the options every segment carries (RFC 6691 §2). */
    private int effectiveMss() {
        return sendMss - (tsOk ? TIMESTAMPS_LEN : 0);
    }

    /**
     * The window to offer, in bytes. RFC 1122 §4.2.3.3 (receiver SWS avoidance): the right edge moves only
     * once it can move by min(buffer / 2, MSS); until then the window offered is what is left of the old one.
     */
    private int receiveWindowBytes() {
        int limit = (int) Math.min(receiveBuffer.free(), 0xFFFFL << rcvShift);
        int current = Math.max(0, advertisedRightEdge - rcvNxt);
        if (limit - current < Math.min(receiveBuffer.capacity() / 2, localMss)) {
            return Math.min(current, limit);
        }
        return limit;
    }

    /** The window field: unscaled on SYNs (RFC 7323 §2.2), else shifted right, rounding down. */
    private int windowField(boolean syn) {
        int bytes = receiveWindowBytes();
        return syn ? Math.min(bytes, 0xFFFF) : Math.min(bytes >> rcvShift, 0xFFFF);
    }

    /** The window in bytes as the peer will compute it from our field (tests use it). */
    int receiveWindow() {
        return windowField(false) << rcvShift;
    }

    /** Emits whatever is due at {@code now}. */
    void dispatch(Instant now, TcpLayer.SegmentSink sink) {
        lastNow = now;
        segmentationLimit = sink.segmentationLimit();
        if (holdsIdleBuffers() && lastHeard != null && Elapsed.atLeast(lastHeard, now, BUFFER_RELEASE_DELAY.toNanos())) {
            sendBuffer.releaseIfEmpty();
            receiveBuffer.releaseIfEmpty();
        }
        if (state == TcpState.CLOSED) {
            if (resetToSend) {
                resetToSend = false;
                emit(sink, TcpRepr.of(localPort, remotePort, sndNxt, 0, TcpPacket.RST, 0));
                stats.tcpResetSent();
            }
            return;
        }
        if (state == TcpState.TIME_WAIT) {
            if (!now.isBefore(timeWaitDeadline)) {
                close(true);
                return;
            }
            if (ackNow) {
                sendAck(sink);
            }
            return;
        }
        if (state == TcpState.FIN_WAIT_2 && finWait2Deadline != null && !now.isBefore(finWait2Deadline)) {
            close(true); // the peer never closed its side; what it sent stays readable
            return;
        }
        if (keepAliveDue(now) && !sendKeepAlive(now, sink)) {
            return;
        }
        if (retransmit.expired(now)) {
            if (!onRetransmitTimeout(now, sink)) {
                return;
            }
        }
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> {
                if (sndNxt == iss) {
                    sendSyn(now, sink);
                }
            }
            default -> {
                if (synAcked()) {
                    sendData(now, sink);
                    if (sndUna != sndMax || sendBuffer.size() > 0 || (finQueued && !finOut())) {
                        retransmit.armIfIdle(now); // RFC 6298 §5.1, and the persist timer of a closed window
                    }
                }
            }
        }
        if (delayedAckFrom != null && Elapsed.atLeast(delayedAckFrom, now, config.delayedAck().toNanos())) {
            ackNow = true;
        }
        if (ackNow || windowUpdateDue()) {
            sendAck(sink);
        }
        while (duplicateAcksOwed > 0) {
            sendAck(sink);
        }
    }

    /** RFC 6298 §5.4-5.7: go back to SND.UNA, double the RTO, restart the timer; give up after the limit. */
    private boolean onRetransmitTimeout(Instant now, TcpLayer.SegmentSink sink) {
        if (retries >= config.maxRetransmissions()) {
            giveUp(now, sink);
            return false;
        }
        retries++;
        retransmit.backOff();
        retransmit.disarm();
        timing = false; // Karn: no RTT sample from a retransmitted segment
        if (synAcked() && sendBuffer.size() > 0 && (sndWnd == 0 || sndUna == sndMax)) {
            // RFC 9293 §3.8.6.1: the persist timer, probing a zero (or too small) window; not a loss
            sndNxt = sndUna;
            forceProbe = true;
            return true;
        }
        timeoutTsval = timestampClock(now);
        timedOut = true;
        dsackUndo.cancel();
        highestRetransmitted = Seq.max(highestRetransmitted, sndMax); // go-back-N may resend all of it
        if (synAcked()) {
            if (!inRecovery && scoreboard.sackedBytes() >= SackScoreboard.DUP_THRESH * effectiveMss()) {
                // Enough was SACKed for a fast retransmit at the usual threshold, yet the raised one waited for
                // the RTO: it is too high for this path now (Linux's tcp_enter_loss does the same).
                reordering = SackScoreboard.DUP_THRESH;
            }
            // RFC 5681 §3.1: after a timeout, one segment; RFC 6582 §3.2 step 1: no fast retransmit for what
            // was outstanding; RFC 6675 §5.1 / RFC 2018 §8: the SACK information may be stale, start over.
            cc.onTimeout(sndMax - sndUna);
            inRecovery = false;
            recover = sndMax;
            scoreboard.clear();
            highRxt = sndUna;
            duplicateAcks = 0;
            retransmitHead = false;
        }
        sndNxt = sndUna;
        stats.tcpRetransmission();
        return true;
    }

    private void giveUp(Instant now, TcpLayer.SegmentSink sink) {
        boolean synchronizedState = state != TcpState.SYN_SENT;
        stats.tcpConnectionTimedOut();
        resetByPeer = true;
        resetToSend = synchronizedState;
        close(false);
        dispatch(now, sink);
    }

    /** RFC 1122 §4.2.3.6: idle long enough with nothing outstanding. */
    private boolean keepAliveDue(Instant now) {
        Optional<Instant> at = keepAliveAt();
        return at.isPresent() && !now.isBefore(at.get());
    }

    private Optional<Instant> keepAliveAt() {
        if (keepAlive.isEmpty() || lastHeard == null
                || (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT)
                || sndUna != sndMax || unsentBytes() > 0) {
            return Optional.empty();
        }
        TcpConfig.KeepAlive k = keepAlive.get();
        return Optional.of(lastHeard.plus(k.idle()).plus(k.interval().multipliedBy(keepAliveProbes)));
    }

    /** Sends a probe (SEG.SEQ = SND.NXT - 1, no data, so the peer must answer) or gives up. */
    private boolean sendKeepAlive(Instant now, TcpLayer.SegmentSink sink) {
        if (keepAliveProbes >= keepAlive.orElseThrow().probes()) {
            giveUp(now, sink);
            return false;
        }
        keepAliveProbes++;
        emit(sink, TcpRepr.of(localPort, remotePort, sndUna - 1, rcvNxt, TcpPacket.ACK, windowField(false)));
        return true;
    }

    private void sendSyn(Instant now, TcpLayer.SegmentSink sink) {
        boolean synAck = state == TcpState.SYN_RECEIVED;
        int flags = synAck ? TcpPacket.SYN | TcpPacket.ACK : TcpPacket.SYN;
        // An active open offers what the configuration allows; a SYN-ACK answers only what the SYN offered.
        boolean scale = synAck ? peerOfferedScale : config.windowScaling();
        boolean sack = synAck ? sackOk : config.sack();
        boolean stamps = synAck ? tsOk : config.timestamps();
        int shift = synAck ? rcvShift : wantedReceiveShift();
        TcpRepr syn = TcpRepr.of(localPort, remotePort, iss, synAck ? rcvNxt : 0, flags, windowField(true)).withSynOptions(localMss, scale ? OptionalInt.of(shift) : OptionalInt.empty(), sack);
        if (stamps) {
            syn = syn.withTimestamps(Integer.toUnsignedLong(timestampClock(now)),
                    synAck ? Integer.toUnsignedLong(tsRecent) : 0);
        }
        emitTracked(now, sink, syn);
    }

    private int unsentBytes() {
        return Math.max(0, sendBuffer.size() - (sndNxt - bufferStart()));
    }

    /** Which rule chose a segment. */
    private enum Source { HEAD, LOST_HOLE, NEXT, PROBE }

    /**
     * What to send next: sequence space at {@code seq}, at most {@code length} bytes of data. One per
     * connection, filled in by {@link #plan()} for each segment rather than made anew.
     */
    private static final class Plan {
        int seq;
        int length;
        Source source;

        Plan set(int seq, int length, Source source) {
            this.seq = seq;
            this.length = length;
            this.source = source;
            return this;
        }
    }

    private final Plan nextPlan = new Plan();

    /**
     * Sends what the windows allow: first the retransmission of the head (fast retransmit, or a partial ACK
     * without SACK), then, in SACK recovery, lost holes (RFC 6675 NextSeg rule 1), then new data.
     */
    private void sendData(Instant now, TcpLayer.SegmentSink sink) {
        for (Plan p = plan(); p != null; p = plan()) {
            switch (p.source) {
                case HEAD -> {
                    retransmitHead = false;
                    highRxt = Seq.max(highRxt, p.seq + p.length); // RFC 6675 §5 step 4.3: not resent as a hole
                }
                case LOST_HOLE -> highRxt = Seq.max(highRxt, p.seq + p.length);
                case NEXT, PROBE -> sndNxt = p.seq; // may skip what the peer SACKed, in a go-back-N
            }
            if (p.source == Source.PROBE) {
                forceProbe = false;
            }
            int before = sndNxt;
            int end = sendSegmentAt(now, sink, p.seq, p.length);
            if (p.source == Source.HEAD || p.source == Source.LOST_HOLE) {
                dsackUndo.retransmitted(p.seq, end);
                highestRetransmitted = Seq.max(highestRetransmitted, end);
            }
            if (p.source == Source.PROBE || (p.source == Source.NEXT && sndNxt == before)) {
                return; // a probe goes alone; and nothing that did not move SND.NXT may repeat
            }
        }
    }

    /**
     * Decides the next segment without sending it ({@link #sendData} and {@link #pollAt} agree by construction);
     * null when nothing may go now.
     */
    private Plan plan() {
        int mss = effectiveMss();
        if (retransmitHead) {
            return nextPlan.set(sndUna, mss, Source.HEAD);
        }
        long cwnd = cc.cwnd();
        long inFlight;
        if (inRecovery && sackOk) {
            int dupThresh = duplicateThreshold();
            inFlight = scoreboard.pipe(sndUna, sndMax, highRxt, mss, dupThresh);
            if (inFlight >= cwnd) {
                return null;
            }
            Optional<SackScoreboard.Span> lost = scoreboard.nextLost(sndUna, highRxt, mss, dupThresh);
            if (lost.isPresent()) {
                return nextPlan.set(lost.get().start(), lost.get().length(), Source.LOST_HOLE);
            }
        } else if (inRecovery) {
            inFlight = Math.max(0, (long) (sndMax - sndUna) - (long) duplicateAcks * mss); // RFC 5681 §3.2 step 4
        } else {
            // RFC 3042 limited transmit: each of the first two duplicate ACKs lets one new segment out; each
            // before a raised threshold does, as in RFC 4653 §3.1 (extended limited transmit, without its cwnd cut)
            inFlight = (long) (sndNxt - sndUna) - (long) Math.min(duplicateAcks, duplicateThreshold() - 1) * mss;
        }
        return planNewData(mss, Math.max(0, cwnd - inFlight));
    }

    /**
     * New data (or go-back-N data) at SND.NXT within the peer's window and {@code cwndRoom}, with sender SWS
     * avoidance and Nagle (RFC 1122 §4.2.3.4), and the FIN once everything before it is out.
     */
    private Plan planNewData(int mss, long cwndRoom) {
        if (finOut()) {
            return null; // everything, FIN included, is out
        }
        int next = sackOk && Seq.lt(sndNxt, sndMax) ? scoreboard.skipSacked(sndNxt) : sndNxt;
        int offset = next - bufferStart();
        int unsent = Math.max(0, sendBuffer.size() - offset);
        long windowRoom = Math.max(0, sndWnd - (next - sndUna));
        int length = (int) Math.min(Math.min(unsent, maxNewSegment(mss)), Math.min(windowRoom, cwndRoom));
        boolean finNext = finQueued && offset + length == sendBuffer.size();
        boolean nothingInFlight = sndUna == sndMax;
        if (forceProbe && unsent > 0) {
            return nextPlan.set(next, (int) Math.max(1, Math.min(length, windowRoom)), Source.PROBE);
        }
        if (length == 0) {
            return finNext && cwndRoom > 0 ? nextPlan.set(next, 0, Source.NEXT) : null;
        }
        boolean retransmitting = Seq.lt(next, sndMax);
        if (length < mss && !retransmitting) {
            if (length < unsent && !nothingInFlight && length < maxSndWnd / 2) {
                return null; // RFC 1122 §4.2.3.4: wait for the window to open further
            }
            if (length == unsent && nagle && !nothingInFlight && !finQueued) {
                return null; // Nagle: a small tail waits for the outstanding data's ACK
            }
        }
        return nextPlan.set(next, length, Source.NEXT);
    }

    /**
     * Sends the sequence space at {@code seq}: up to {@code maxLength} bytes of data and the FIN if it follows.
     * Returns the end of what was sent ({@code seq} when nothing was).
     */
    private int sendSegmentAt(Instant now, TcpLayer.SegmentSink sink, int seq, int maxLength) {
        int offset = seq - bufferStart();
        int length = Math.max(0, Math.min(maxLength, sendBuffer.size() - offset));
        boolean fin = finQueued && offset + length == sendBuffer.size();
        int flags = TcpPacket.ACK;
        if (length > 0 && offset + length == sendBuffer.size()) {
            flags |= TcpPacket.PSH;
        }
        if (fin) {
            flags |= TcpPacket.FIN;
            finEverSent = true;
            finSeq = seq + length;
        }
        if (length == 0 && !fin) {
            return seq;
        }
        TcpRepr segment = segment(seq, flags, sendBuffer.view(offset, length));
        emitTracked(now, sink, segment, length > effectiveMss() ? effectiveMss() : 0);
        return seq + segment.segmentLength();
    }

    /** Emits a segment that occupies sequence space: advances SND.NXT, starts timing and the timer. */
    private void emitTracked(Instant now, TcpLayer.SegmentSink sink, TcpRepr segment) {
        emitTracked(now, sink, segment, 0);
    }

    /** As above; a {@code segmentSize} above 0 has the device cut the segment into pieces of that size (TSO). */
    private void emitTracked(Instant now, TcpLayer.SegmentSink sink, TcpRepr segment, int segmentSize) {
        int seq = segment.seqNumber();
        int end = seq + segment.segmentLength();
        if (!timing && !tsOk && Seq.ge(seq, sndMax)) {
            timing = true;
            timedSeq = end;
            timedAt = now;
        }
        if (Seq.le(seq, sndNxt) && Seq.gt(end, sndNxt)) {
            sndNxt = end;
        }
        sndMax = Seq.max(sndMax, end);
        retransmit.armIfIdle(now); // RFC 6298 §5.1
        emit(sink, segment, segmentSize);
    }

    private void sendAck(TcpLayer.SegmentSink sink) {
        duplicateAcksOwed = Math.max(0, duplicateAcksOwed - 1);
        TcpRepr ack = segment(sndNxt, TcpPacket.ACK, TcpRepr.NO_PAYLOAD);
        if (sackOk && (!outOfOrder.isEmpty() || duplicateReceived != null)) {
            ack = ack.withSackBlocks(sackBlocks());
            duplicateReceived = null;
        }
        emit(sink, ack);
    }

    /** RFC 2018 §4: the block holding the latest segment first, at most what fits beside the timestamps. */
    private List<TcpOption.SackBlock> sackBlocks() {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        int room = TcpRepr.maxSackBlocks(tsOk);
        if (duplicateReceived != null) {
            blocks.add(duplicateReceived);
            room--;
        }
        for (ReassemblyQueue.Range r : outOfOrder.sackRanges(room)) {
            blocks.add(new TcpOption.SackBlock(rcvNxt + (int) (r.start() - rcvNxtOffset),
                    rcvNxt + (int) (r.end() - rcvNxtOffset)));
        }
        return blocks;
    }

    /**
     * A segment of this connection acknowledging RCV.NXT with the window we offer, carrying the timestamps once
     * negotiated (RFC 7323 §3.2): made in the layer's one outgoing segment, since data and ACKs go out by the
     * thousand; it is good until the sink has taken it.
     */
    private TcpRepr segment(int seq, int flags, ByteBuffer payload) {
        int window = windowField(false);
        return tsOk ? layer.outgoing().stamped(localPort, remotePort, seq, rcvNxt, flags, window,
                timestampClock(lastNow), tsRecent, payload)
                : layer.outgoing().of(localPort, remotePort, seq, rcvNxt, flags, window, payload);
    }

    /** Adds the timestamps every segment carries once negotiated (RFC 7323 §3.2) and notes what was ACKed. */
    private void emit(TcpLayer.SegmentSink sink, TcpRepr segment) {
        emit(sink, segment, 0);
    }

    private void emit(TcpLayer.SegmentSink sink, TcpRepr segment, int segmentSize) {
        if (tsOk && !segment.rst() && !segment.hasTimestamps()) {
            segment = segment.withTimestamps(Integer.toUnsignedLong(timestampClock(lastNow)),
                    Integer.toUnsignedLong(tsRecent));
        }
        if (segment.ack()) {
            ackNow = false;
            delayedAckFrom = null;
            segmentsUnacked = 0;
            lastAckSent = rcvNxt;
            advertisedRightEdge = rcvNxt + (segment.syn() ? segment.window() : segment.window() << rcvShift);
        }
        if (segmentSize > 0) {
            sink.sendSegmented(localIp, remoteIp, segment, segmentSize);
        } else {
            sink.send(localIp, remoteIp, segment);
        }
    }

    /**
     * RFC 9293 §3.8.6.2.2: a window update of its own once the window grew by min(buffer/2, MSS) since we
     * last told the peer, and only while what the peer knows is below half the buffer (else it is not waiting).
     */
    private boolean windowUpdateDue() {
        if (state != TcpState.ESTABLISHED && state != TcpState.FIN_WAIT_1 && state != TcpState.FIN_WAIT_2) {
            return false;
        }
        int known = advertisedRightEdge - rcvNxt;
        int growth = (rcvNxt + receiveWindow()) - advertisedRightEdge;
        return growth >= Math.min(receiveBuffer.capacity() / 2, localMss) && known < receiveBuffer.capacity() / 2;
    }

    /** True when dispatch would send something right now. */
    private boolean hasOutputNow(Instant now) {
        if (resetToSend || ackNow || duplicateAcksOwed > 0) {
            return true;
        }
        switch (state) {
            case CLOSED, TIME_WAIT, LISTEN -> {
                return false;
            }
            case SYN_SENT, SYN_RECEIVED -> {
                return sndNxt == iss;
            }
            default -> {
                return windowUpdateDue() || (synAcked() && plan() != null);
            }
        }
    }

    Optional<Instant> pollAt(Instant now) {
        return Elapsed.deadline(now, nanosUntilDue(now));
    }

    /**
     * As {@link #pollAt}, in nanoseconds from {@code now} (negative when overdue, {@link Elapsed#NEVER} when
     * only a segment can make work): what the event loop asks before every sleep, made without an instant.
     */
    long nanosUntilDue(Instant now) {
        if (hasOutputNow(now)) {
            return 0;
        }
        if (state == TcpState.CLOSED) {
            return Elapsed.NEVER;
        }
        if (state == TcpState.TIME_WAIT) {
            return Elapsed.nanos(now, timeWaitDeadline);
        }
        if (synAcked() && !retransmit.isArmed() && unsentBytes() > 0) {
            return 0; // data came for a closed window: dispatch starts the persist timer (§3.8.6.1)
        }
        long earliest = retransmit.nanosUntilExpiry(now);
        if (delayedAckFrom != null) {
            earliest = Math.min(earliest, config.delayedAck().toNanos() - Elapsed.nanos(delayedAckFrom, now));
        }
        Optional<Instant> keepAliveAt = keepAliveAt(); // empty, and made of nothing, while data is in flight
        if (keepAliveAt.isPresent()) {
            earliest = Math.min(earliest, Elapsed.nanos(now, keepAliveAt.get()));
        }
        if (holdsIdleBuffers() && lastHeard != null) {
            earliest = Math.min(earliest, BUFFER_RELEASE_DELAY.toNanos() - Elapsed.nanos(lastHeard, now));
        }
        if (state == TcpState.FIN_WAIT_2 && finWait2Deadline != null) {
            earliest = Math.min(earliest, Elapsed.nanos(now, finWait2Deadline));
        }
        return earliest;
    }

    /** True when the layer may forget this socket: closed, with nothing left to send. */
    boolean isFinished() {
        return state == TcpState.CLOSED && !resetToSend;
    }

    // for tests in this package
    RetransmitTimer retransmitTimer() {
        return retransmit;
    }

    int sendMss() {
        return sendMss;
    }

    long sendWindow() {
        return sndWnd;
    }

    long congestionWindow() {
        return cc == null ? 0 : cc.cwnd();
    }

    CongestionControl congestionControlState() {
        return cc;
    }

    int outOfOrderBytes() {
        return outOfOrder.bytes();
    }

    boolean sackPermitted() {
        return sackOk;
    }

    boolean timestampsOn() {
        return tsOk;
    }

    int sendShift() {
        return sndShift;
    }

    /** When TIME_WAIT ends; empty outside TIME_WAIT. */
    Optional<Instant> timeWaitDeadline() {
        return state == TcpState.TIME_WAIT ? Optional.ofNullable(timeWaitDeadline) : Optional.empty();
    }

    int receiveShift() {
        return rcvShift;
    }
}
