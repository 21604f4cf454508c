package morgana.netstack.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.StackStats;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;

/**
 * One connection's state machine (RFC 9293 §3.10). {@link #process} consumes a segment addressed to it and
 * {@link #dispatch} emits what it owes the peer: SYN, data, FIN, ACKs and retransmissions.
 *
 * <p>Deliberately minimal: no reassembly queue (out-of-order segments are dropped and ACKed), no window
 * scaling (our window is at most 65535, and we never send the option, so the peer does not scale either,
 * RFC 7323 §2.2), no SACK, no congestion control beyond the RTO backoff, no Nagle, no delayed ACKs.
 */
final class TcpSocket implements TcpConnection {

    /** RFC 9293 §3.7.1: the MSS to assume when the peer sends none. */
    static final int DEFAULT_MSS = 536;

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

    // Send sequence space (RFC 9293 §3.3.1). sndMax is the highest sequence number sent so far plus one:
    // after a timeout sndNxt goes back to sndUna (go-back-N) and acks up to sndMax stay acceptable.
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int maxSndWnd;
    private int sendMss = DEFAULT_MSS;
    private final ByteRing sendBuffer;
    private boolean finQueued;
    private boolean finEverSent;
    private int finSeq;

    // Receive sequence space.
    private int irs;
    private int rcvNxt;
    private final ByteRing receiveBuffer;
    private boolean finReceived;
    private int advertisedRightEdge;

    // Timers and pending output.
    private final RetransmitTimer retransmit = new RetransmitTimer();
    private int retries;
    private boolean timing;
    private int timedSeq;
    private Instant timedAt;
    private boolean forceProbe;
    private Instant timeWaitDeadline;
    private Instant finWait2Deadline;
    private boolean ackNow;
    /** Duplicate ACKs owed for out-of-order segments (RFC 5681 §4.2: ACK each one at once). */
    private int duplicateAcksOwed;
    private int duplicateAcks;
    private boolean recovering;
    private int recover;
    private boolean resetToSend;
    private boolean resetByPeer;

    private TcpSocket(TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp, int localPort,
                      Ipv4Address remoteIp, int remotePort, int localMss) {
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
    }

    /** Active open (RFC 9293 §3.10.1): the SYN goes out at the next dispatch. */
    static TcpSocket connecting(TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp, int localPort,
                                Ipv4Address remoteIp, int remotePort, int localMss, int iss) {
        TcpSocket s = new TcpSocket(layer, config, stats, localIp, localPort, remoteIp, remotePort, localMss);
        s.state = TcpState.SYN_SENT;
        s.iss = iss;
        s.sndUna = iss;
        s.sndNxt = iss;
        s.sndMax = iss;
        return s;
    }

    /** Passive open: a SYN reached a listener in LISTEN (RFC 9293 §3.10.7.2, third check). */
    static TcpSocket accepting(TcpLayer layer, TcpConfig config, StackStats stats, Ipv4Address localIp,
                               Ipv4Address remoteIp, TcpRepr syn, int localMss, int iss, TcpListenerSocket listener) {
        TcpSocket s = new TcpSocket(layer, config, stats, localIp, syn.destinationPort(), remoteIp, syn.sourcePort(),
                localMss);
        s.state = TcpState.SYN_RECEIVED;
        s.pendingListener = listener;
        s.iss = iss;
        s.sndUna = iss;
        s.sndNxt = iss;
        s.sndMax = iss;
        s.synchronizeWith(syn);
        return s;
    }

    private void synchronizeWith(TcpRepr syn) {
        irs = syn.seqNumber();
        rcvNxt = irs + 1;
        sendMss = Math.min(localMss, syn.maxSegmentSize().orElse(DEFAULT_MSS));
        if (sendMss < 1) {
            sendMss = DEFAULT_MSS; // an MSS option of 0 would stall the connection
        }
        sndWnd = syn.window(); // a SYN's window is never scaled (RFC 7323 §2.2)
        maxSndWnd = sndWnd;
        sndWl1 = syn.seqNumber();
        sndWl2 = syn.ackNumber();
        advertisedRightEdge = rcvNxt;
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
                        TcpPacket.RST, 0, new byte[0]));
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
        synchronizeWith(seg);
        if (seg.ack()) {
            acknowledge(now, seg.ackNumber());
            sndWl1 = seg.seqNumber();
            sndWl2 = seg.ackNumber();
            establish();
            ackNow = true;
            receiveData(now, seg.seqNumber() + 1, seg.payload(), seg.fin());
        } else {
            // simultaneous open: answer with SYN-ACK from the same ISS
            state = TcpState.SYN_RECEIVED;
            sndNxt = iss;
        }
    }

    /** RFC 9293 §3.10.7.4, for every state after SYN_SENT. */
    private void processSynchronized(Instant now, TcpRepr seg) {
        int seq = seg.seqNumber();
        if (state == TcpState.SYN_RECEIVED && seg.syn() && !seg.ack() && seq == irs) {
            sndNxt = iss; // our SYN-ACK was lost: send it again
            return;
        }
        // First: the sequence number test.
        if (!acceptable(seg)) {
            if (!seg.rst()) {
                ackNow = true;
            }
            if (state == TcpState.TIME_WAIT && seg.fin()) {
                timeWaitDeadline = now.plus(config.timeWait()); // a retransmitted FIN restarts 2*MSL
            }
            stats.dropped(DropReason.TCP_OUT_OF_WINDOW);
            return;
        }
        // Second: RST. RFC 5961 §3.2: only an exact match resets; in-window otherwise earns a challenge ACK.
        if (seg.rst()) {
            if (seq != rcvNxt) {
                ackNow = true;
                stats.dropped(DropReason.TCP_CHALLENGED);
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
            ackNow = true;
            stats.dropped(DropReason.TCP_CHALLENGED);
            return;
        }
        // Fifth: ACK.
        if (!seg.ack()) {
            stats.dropped(DropReason.TCP_IGNORED);
            return;
        }
        int ack = seg.ackNumber();
        if (state == TcpState.SYN_RECEIVED) {
            if (Seq.lt(sndUna, ack) && Seq.le(ack, sndMax)) {
                establish();
                sndWnd = seg.window();
                sndWl1 = seq;
                sndWl2 = ack;
            } else {
                layer.queueReset(localIp, remoteIp, TcpRepr.of(localPort, remotePort, ack, 0, TcpPacket.RST, 0,
                        new byte[0]));
                stats.dropped(DropReason.TCP_UNACCEPTABLE_ACK);
                return;
            }
        }
        if (Seq.gt(ack, sndMax) || Seq.lt(ack, sndUna - maxSndWnd)) {
            // acks something not yet sent, or is too old to be ours (RFC 5961 §5.2)
            ackNow = true;
            stats.dropped(DropReason.TCP_UNACCEPTABLE_ACK);
            return;
        }
        if (ack == sndUna && seg.payload().length == 0 && !seg.fin() && seg.window() == sndWnd
                && sndUna != sndMax) {
            onDuplicateAck();
        }
        retries = 0; // the peer is alive (RFC 9293 §3.8.6.1 keeps probing a zero window while it answers)
        if (Seq.gt(ack, sndUna)) {
            acknowledge(now, ack);
        }
        if (Seq.lt(sndWl1, seq) || (sndWl1 == seq && Seq.le(sndWl2, ack))) {
            sndWnd = seg.window();
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seq;
            sndWl2 = ack;
        }
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

    /** The acceptability table of RFC 9293 §3.10.7.4, with the zero-window allowance for ACKs and RSTs. */
    private boolean acceptable(TcpRepr seg) {
        int seq = seg.seqNumber();
        int len = seg.segmentLength();
        int wnd = receiveWindow();
        if (wnd == 0) {
            return seq == rcvNxt;
        }
        if (len == 0) {
            return Seq.inWindow(seq, rcvNxt, wnd);
        }
        return Seq.inWindow(seq, rcvNxt, wnd) || Seq.inWindow(seq + len - 1, rcvNxt, wnd);
    }

    /** Takes in-order data into the receive buffer and processes a FIN that follows all of it. */
    private void receiveData(Instant now, int seq, byte[] payload, boolean fin) {
        boolean receiving = state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1
                || state == TcpState.FIN_WAIT_2;
        if (!receiving) {
            if (payload.length > 0 || fin) {
                stats.dropped(DropReason.TCP_IGNORED); // the peer already closed; nothing more may follow its FIN
            }
            return;
        }
        int offset = 0;
        if (Seq.lt(seq, rcvNxt)) {
            offset = Math.min(payload.length, rcvNxt - seq); // an overlapping retransmission: skip what we have
            seq += offset;
            if (payload.length - offset == 0 && !(fin && seq == rcvNxt)) {
                if (payload.length > 0) {
                    ackNow = true; // a duplicate: tell the peer where we are
                }
                return;
            }
        }
        if (seq != rcvNxt) {
            ackNow = true;
            duplicateAcksOwed = Math.min(duplicateAcksOwed + 1, 3);
            stats.dropped(DropReason.TCP_OUT_OF_ORDER);
            return;
        }
        int length = payload.length - offset;
        int taken = Math.min(length, receiveBuffer.free());
        if (taken > 0) {
            receiveBuffer.write(payload, offset, taken);
            rcvNxt += taken;
        }
        if (length > 0) {
            ackNow = true;
        }
        if (fin && taken == length) {
            rcvNxt += 1;
            finReceived = true;
            ackNow = true;
            switch (state) {
                case ESTABLISHED -> state = TcpState.CLOSE_WAIT;
                case FIN_WAIT_1 -> {
                    if (finEverSent && Seq.gt(sndUna, finSeq)) {
                        enterTimeWait(now);
                    } else {
                        state = TcpState.CLOSING;
                    }
                }
                case FIN_WAIT_2 -> enterTimeWait(now);
                default -> { }
            }
        }
    }

    /** SND.UNA advances to {@code ack}: free acknowledged data, measure the RTT, manage the timer (RFC 6298 §5). */
    private void acknowledge(Instant now, int ack) {
        int bufferStart = bufferStart();
        int ackedData = Math.max(0, Math.min(ack - bufferStart, sendBuffer.size()));
        sendBuffer.discard(ackedData);
        sndUna = ack;
        if (Seq.lt(sndNxt, sndUna)) {
            sndNxt = sndUna; // the originals of a go-back-N retransmission arrived after all
        }
        if (timing && Seq.ge(ack, timedSeq)) {
            retransmit.sample(java.time.Duration.between(timedAt, now));
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

    /**
     * RFC 5681 §3.2, simplified for a receiver that keeps no out-of-order data: on the third duplicate ACK,
     * go back to SND.UNA at once instead of waiting for the RTO; not again until SND.UNA passes the highest
     * sequence sent at that moment (the "recover" point of RFC 6582).
     */
    private void onDuplicateAck() {
        duplicateAcks++;
        if (duplicateAcks == 3 && (!recovering || Seq.ge(sndUna, recover))) {
            recovering = true;
            recover = sndMax;
            sndNxt = sndUna;
            timing = false;
            stats.tcpFastRetransmission();
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
    }

    private void close(boolean keepReceived) {
        if (pendingListener != null) {
            pendingListener.abandoned(this);
            pendingListener = null;
        }
        state = TcpState.CLOSED;
        sendBuffer.clear();
        if (!keepReceived) {
            receiveBuffer.clear();
        }
        retransmit.disarm();
        timeWaitDeadline = null;
        ackNow = false;
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

    int receiveWindow() {
        return Math.min(receiveBuffer.free(), 0xFFFF);
    }

    /** Emits whatever is due at {@code now}. */
    void dispatch(Instant now, TcpLayer.SegmentSink sink) {
        if (state == TcpState.CLOSED) {
            if (resetToSend) {
                resetToSend = false;
                emit(sink, TcpRepr.of(localPort, remotePort, sndNxt, 0, TcpPacket.RST, 0, new byte[0]));
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
                }
            }
        }
        if (ackNow || windowUpdateDue()) {
            sendAck(sink);
        }
        for (; duplicateAcksOwed > 0; duplicateAcksOwed--) {
            sendAck(sink);
        }
    }

    /** RFC 6298 §5.4-5.7: go back to SND.UNA, double the RTO, restart the timer; give up after the limit. */
    private boolean onRetransmitTimeout(Instant now, TcpLayer.SegmentSink sink) {
        if (retries >= config.maxRetransmissions()) {
            boolean synchronizedState = state != TcpState.SYN_SENT;
            stats.tcpConnectionTimedOut();
            resetByPeer = true;
            resetToSend = synchronizedState;
            close(false);
            dispatch(now, sink);
            return false;
        }
        retries++;
        retransmit.backOff();
        retransmit.disarm();
        timing = false; // Karn: no RTT sample from a retransmitted segment
        sndNxt = sndUna;
        if (synAcked() && sndWnd == 0 && sendBuffer.size() > 0) {
            forceProbe = true; // RFC 9293 §3.8.6.1: probe a zero window
        } else {
            stats.tcpRetransmission();
        }
        return true;
    }

    private void sendSyn(Instant now, TcpLayer.SegmentSink sink) {
        int flags = state == TcpState.SYN_RECEIVED ? TcpPacket.SYN | TcpPacket.ACK : TcpPacket.SYN;
        TcpRepr syn = new TcpRepr(localPort, remotePort, iss, state == TcpState.SYN_RECEIVED ? rcvNxt : 0, flags,
                receiveWindow(), OptionalInt.of(localMss), OptionalInt.empty(), false, new byte[0]);
        emitTracked(now, sink, syn);
    }

    /**
     * Sends new data within the peer's window (RFC 9293 §3.8.6.2.1, without Nagle), segment by segment of at
     * most the effective MSS, and the FIN after the last byte once the application shut its side.
     */
    private void sendData(Instant now, TcpLayer.SegmentSink sink) {
        while (true) {
            if (finOut()) {
                return; // everything, FIN included, is out
            }
            int start = bufferStart();
            int offset = sndNxt - start;
            int unsent = sendBuffer.size() - offset;
            int window = Math.max(0, sndUna + sndWnd - sndNxt);
            int length = Math.min(Math.min(unsent, window), sendMss);
            if (length == 0 && unsent > 0 && forceProbe) {
                length = 1;
            }
            forceProbe = false;
            boolean fin = finQueued && offset + length == sendBuffer.size();
            if (length == 0 && !fin) {
                if (unsent > 0 && sndWnd == 0) {
                    retransmit.armIfIdle(now); // the persist timer
                }
                return;
            }
            int flags = TcpPacket.ACK;
            if (length > 0 && offset + length == sendBuffer.size()) {
                flags |= TcpPacket.PSH;
            }
            if (fin) {
                flags |= TcpPacket.FIN;
                finEverSent = true;
                finSeq = sndNxt + length;
            }
            TcpRepr segment = TcpRepr.of(localPort, remotePort, sndNxt, rcvNxt, flags, receiveWindow(),
                    sendBuffer.peek(offset, length));
            emitTracked(now, sink, segment);
        }
    }

    /** Emits a segment that occupies sequence space: advances SND.NXT, starts timing and the timer. */
    private void emitTracked(Instant now, TcpLayer.SegmentSink sink, TcpRepr segment) {
        int seq = segment.seqNumber();
        int end = seq + segment.segmentLength();
        if (!timing && Seq.ge(seq, sndMax)) {
            timing = true;
            timedSeq = end;
            timedAt = now;
        }
        sndNxt = end;
        sndMax = Seq.max(sndMax, end);
        retransmit.armIfIdle(now); // RFC 6298 §5.1
        emit(sink, segment);
    }

    private void sendAck(TcpLayer.SegmentSink sink) {
        duplicateAcksOwed = Math.max(0, duplicateAcksOwed - 1);
        emit(sink, TcpRepr.of(localPort, remotePort, sndNxt, rcvNxt, TcpPacket.ACK, receiveWindow(), new byte[0]));
    }

    private void emit(TcpLayer.SegmentSink sink, TcpRepr segment) {
        if (segment.ack()) {
            ackNow = false;
            advertisedRightEdge = rcvNxt + segment.window();
        }
        sink.send(localIp, remoteIp, segment);
    }

    /** RFC 9293 §3.8.6.2.2: tell the peer once the window grew by min(buffer/2, MSS) since we last told it. */
    private boolean windowUpdateDue() {
        if (state != TcpState.ESTABLISHED && state != TcpState.FIN_WAIT_1 && state != TcpState.FIN_WAIT_2) {
            return false;
        }
        int growth = (rcvNxt + receiveWindow()) - advertisedRightEdge;
        return growth >= Math.min(receiveBuffer.capacity() / 2, localMss);
    }

    /** True when dispatch would send something right now. */
    private boolean hasOutputNow() {
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
                if (windowUpdateDue()) {
                    return true;
                }
                if (finOut()) {
                    return false;
                }
                int start = bufferStart();
                int unsent = sendBuffer.size() - (sndNxt - start);
                int window = Math.max(0, sndUna + sndWnd - sndNxt);
                return (unsent > 0 && window > 0) || (finQueued && unsent == 0);
            }
        }
    }

    Optional<Instant> pollAt(Instant now) {
        if (hasOutputNow()) {
            return Optional.of(now);
        }
        if (state == TcpState.TIME_WAIT) {
            return Optional.of(timeWaitDeadline);
        }
        if (state == TcpState.FIN_WAIT_2 && finWait2Deadline != null) {
            return Optional.of(finWait2Deadline);
        }
        return retransmit.deadline();
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
}
