package morgana.netstack.tcp;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.RateLimiter;
import morgana.netstack.iface.StackStats;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;

/**
 * TCP for one local address: demultiplexes segments to connections and listeners, answers segments for
 * nobody with RST, and collects what the connections have to send. Talks in {@link TcpRepr}s only; the
 * interface does the bytes.
 */
public final class TcpLayer {

    /**
     * Where the layer's outgoing segments go (the interface wraps them in IPv4 and Ethernet). A segment is the
     * sink's only during the call: connections make theirs in one reused object ({@link TcpRepr.Reusable}), so
     * a sink that keeps one keeps a {@link TcpRepr#copy()}.
     */
    @FunctionalInterface
    public interface SegmentSink {
        void send(Ipv4Address source, Ipv4Address destination, TcpRepr segment);

        /**
         * The largest IPv4 packet one segment may fill when the device beneath cuts segments itself (TSO), or
         * 0 when every segment must fit one MSS: then {@link #sendSegmented} is never called.
         */
        default int segmentationLimit() {
            return 0;
        }

        /** A segment with more than {@code segmentSize} bytes of payload, for the device to cut into pieces of that size. */
        default void sendSegmented(Ipv4Address source, Ipv4Address destination, TcpRepr segment, int segmentSize) {
            send(source, destination, segment);
        }
    }

    private record FourTuple(Ipv4Address localIp, int localPort, Ipv4Address remoteIp, int remotePort) {
        @Override
        public int hashCode() {
            return hash(localIp.bits(), localPort, remoteIp.bits(), remotePort);
        }

        static int hash(int localIp, int localPort, int remoteIp, int remotePort) {
            return ((localIp * 31 + remoteIp) * 31 + localPort) * 65_599 + remotePort;
        }
    }

    /**
     * Finds a connection by a received segment's four-tuple without making a {@link FourTuple} per segment:
     * equal to the tuple of the same numbers, one way only, so it is only ever looked up with, never stored.
     */
    private static final class TupleProbe {
        int localIp;
        int localPort;
        int remoteIp;
        int remotePort;

        TupleProbe set(int localIp, int localPort, int remoteIp, int remotePort) {
            this.localIp = localIp;
            this.localPort = localPort;
            this.remoteIp = remoteIp;
            this.remotePort = remotePort;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FourTuple t && t.localPort == localPort && t.remotePort == remotePort
                    && t.localIp.bits() == localIp && t.remoteIp.bits() == remoteIp;
        }

        @Override
        public int hashCode() {
            return FourTuple.hash(localIp, localPort, remoteIp, remotePort);
        }
    }

    private record Outgoing(Ipv4Address source, Ipv4Address destination, TcpRepr segment) {
    }

    /** Challenge ACKs in one burst at most (RFC 5961 §7 leaves the numbers to us). */
    static final int CHALLENGE_ACK_BURST = 10;

    static final int EPHEMERAL_FIRST = 49152;
    static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;
    /** Resets and SYN cookies wait here until the next dispatch; beyond this many they are counted drops. */
    static final int RESET_QUEUE_CAPACITY = 64;

    private final TcpConfig config;
    private Ipv4Address localAddress;
    private final RateLimiter closedPortResets = RateLimiter.defaults();
    private final int localMss;
    private final StackStats stats;
    private final IsnGenerator isn;
    private final SynCookies cookies;
    private final ReassemblyBudget reassemblyBudget;
    private final RateLimiter challengeAcks;
    private final Map<Integer, TcpListenerSocket> listeners = new HashMap<>();
    private final Map<FourTuple, TcpSocket> sockets = new LinkedHashMap<>();
    private final TupleProbe probe = new TupleProbe();
    /** The segments connections send are made in this one (see {@link TcpRepr.Reusable}). */
    private final TcpRepr.Reusable outgoing = new TcpRepr.Reusable();
    /** Resets and SYN cookies waiting for the next dispatch. */
    private final ArrayDeque<Outgoing> resets = new ArrayDeque<>();
    /**
     * The connections in TIME_WAIT, in deadline order (each waits the same time, and one whose timer restarts
     * moves to the end): the first to go when a new connection needs room. They sit out of {@link #dispatch}'s
     * walk, which would otherwise visit thousands of them on every poll after a burst of short connections.
     */
    private final Set<TcpSocket> timeWaits = new LinkedHashSet<>();
    /** Every connection not in TIME_WAIT: what each dispatch visits. */
    private final Set<TcpSocket> active = new LinkedHashSet<>();
    /** TIME_WAIT connections a segment reached since the last dispatch: they may owe an ACK. */
    private final Set<TcpSocket> timeWaitsReached = new LinkedHashSet<>();
    /** {@link #dispatch}'s copy of the connections to visit, kept to allocate nothing per poll. */
    private final List<TcpSocket> visiting = new ArrayList<>();
    /**
     * {@link #active} in its order, remade only after it changed: a walk of the set itself would make an
     * iterator per poll, where connections come and go far less often than polls.
     */
    private final List<TcpSocket> activeInOrder = new ArrayList<>();
    private boolean activeChanged;
    /** The oldest TIME_WAIT connection's deadline, and whether the queue changed since it was read. */
    private Instant firstTimeWaitDeadline;
    private boolean timeWaitsChanged;
    private int nextEphemeral;

    public TcpLayer(TcpConfig config, Ipv4Address localAddress, int localMss, StackStats stats) {
        this.config = config;
        this.localAddress = localAddress;
        this.localMss = localMss;
        this.stats = stats;
        this.isn = new IsnGenerator(config.isnSecret());
        this.cookies = new SynCookies(config.isnSecret());
        this.reassemblyBudget = new ReassemblyBudget(config.reassemblyLimit());
        this.challengeAcks = new RateLimiter(Math.min(CHALLENGE_ACK_BURST, config.challengeAcksPerSecond()),
                java.time.Duration.ofSeconds(1).dividedBy(config.challengeAcksPerSecond()));
        this.nextEphemeral = (int) Math.floorMod(config.isnSecret(), (long) EPHEMERAL_COUNT);
    }

    /**
     * The address new active opens use, after the interface's address changed (DHCP). Connections made from
     * the old address keep it and will fail on their own.
     */
    public void setLocalAddress(Ipv4Address address) {
        this.localAddress = address;
    }

    public TcpListener listen(int port) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("a TCP port is 1 to 65535, not " + port);
        }
        TcpListenerSocket existing = listeners.get(port);
        if (existing != null) {
            throw new IllegalStateException("port " + port + " already has a listener; close it first");
        }
        TcpListenerSocket[] self = new TcpListenerSocket[1];
        self[0] = new TcpListenerSocket(port, config.backlog(), () -> listeners.remove(port, self[0]));
        listeners.put(port, self[0]);
        return self[0];
    }

    /** Active open from an ephemeral port (RFC 6056 would randomize it; we walk from a secret-derived start). */
    public TcpConnection connect(Instant now, Ipv4Address remote, int port) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("a TCP port is 1 to 65535, not " + port);
        }
        if (!makeRoom()) {
            throw new IllegalStateException("the TCP layer already tracks " + sockets.size()
                    + " connections, its limit (TcpConfig.maxConnections); close some first");
        }
        for (int tries = 0; tries < EPHEMERAL_COUNT; tries++) {
            int localPort = EPHEMERAL_FIRST + nextEphemeral;
            nextEphemeral = (nextEphemeral + 1) % EPHEMERAL_COUNT;
            FourTuple key = new FourTuple(localAddress, localPort, remote, port);
            if (sockets.containsKey(key) || listeners.containsKey(localPort)) {
                continue;
            }
            TcpSocket socket = TcpSocket.connecting(this, config, stats, localAddress, localPort, remote, port, localMss,
                    isn.next(now, localAddress, localPort, remote, port));
            sockets.put(key, socket);
            addActive(socket);
            return socket;
        }
        throw new IllegalStateException("every ephemeral port to " + remote + ":" + port + " is in use");
    }

    /** A segment that arrived for {@code destination} (one of our addresses) from {@code source}. */
    public void process(Instant now, Ipv4Address source, Ipv4Address destination, TcpRepr segment) {
        process(now, source.bits(), destination.bits(), segment);
    }

    /**
     * As above, with the addresses as {@link Ipv4Address#bits()}: a segment of a connection the layer knows
     * makes no object on its way in. The segment is the caller's again on return (it may be reused).
     */
    public void process(Instant now, int sourceBits, int destinationBits, TcpRepr segment) {
        TcpSocket socket = sockets.get(probe.set(destinationBits, segment.destinationPort(), sourceBits,
                segment.sourcePort()));
        if (socket != null && socket.admitsNewIncarnation(segment)) {
            TcpListenerSocket listener = listeners.get(segment.destinationPort());
            if (listener != null) {
                reopenFromTimeWait(now, listener, new FourTuple(new Ipv4Address(destinationBits),
                        segment.destinationPort(), new Ipv4Address(sourceBits), segment.sourcePort()), socket, segment);
                return;
            }
        }
        if (socket != null && socket.state() != TcpState.CLOSED) {
            socket.process(now, segment);
            if (socket.state() == TcpState.TIME_WAIT) {
                timeWaitsReached.add(socket);
            }
            return;
        }
        Ipv4Address source = new Ipv4Address(sourceBits);
        Ipv4Address destination = new Ipv4Address(destinationBits);
        TcpListenerSocket listener = listeners.get(segment.destinationPort());
        if (listener != null) {
            processInListen(now, listener, source, destination, segment);
            return;
        }
        stats.dropped(DropReason.TCP_NO_SOCKET);
        if (segment.rst()) {
            return;
        }
        if (!closedPortResets.tryAcquire(now)) {
            stats.dropped(DropReason.TCP_RESET_RATE_LIMITED); // a port scan must not turn into a reset flood
            return;
        }
        resetFor(destination, source, segment);
    }

    /**
     * An ICMP destination unreachable quoting a segment we sent from {@code local:localPort} to
     * {@code remote:remotePort} with sequence number {@code seq}; {@code hard} for protocol and port
     * unreachable (RFC 1122 §4.2.3.9). Soft errors are ignored (RFC 5927 §4.1).
     */
    public void icmpError(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort, int seq, boolean hard) {
        TcpSocket socket = sockets.get(new FourTuple(local, localPort, remote, remotePort));
        if (socket != null && hard) {
            socket.hardError(seq);
        }
    }

    /**
     * RFC 9293 §3.10.7.2: LISTEN ignores RST, resets an ACK, and opens a connection on SYN. With a full backlog
     * the SYN is answered with a SYN cookie (RFC 4987 §3.6), and an ACK that returns a valid cookie opens the
     * connection then.
     */
    private void processInListen(Instant now, TcpListenerSocket listener, Ipv4Address source, Ipv4Address destination,
                                 TcpRepr segment) {
        FourTuple key = new FourTuple(destination, segment.destinationPort(), source, segment.sourcePort());
        if (segment.rst()) {
            stats.dropped(DropReason.TCP_IGNORED);
        } else if (segment.ack()) {
            if (!segment.syn() && config.synCookies() && listener.hasOverflowed() && openFromCookie(now, listener, key,
                    segment)) {
                return;
            }
            stats.dropped(DropReason.TCP_IGNORED);
            resetFor(destination, source, segment);
        } else if (!segment.syn()) {
            stats.dropped(DropReason.TCP_IGNORED);
        } else if (!makeRoom()) {
            stats.dropped(DropReason.TCP_CONNECTION_LIMIT);
        } else if (listener.isFull()) {
            stats.dropped(DropReason.TCP_BACKLOG_FULL); // the peer's SYN retransmission will try again
            if (config.synCookies()) {
                listener.overflowed();
                sendCookie(now, key, segment);
            }
        } else {
            open(now, listener, key, segment, isn.next(now, destination, segment.destinationPort(), source,
                    segment.sourcePort()));
        }
    }

    private void open(Instant now, TcpListenerSocket listener, FourTuple key, TcpRepr syn, int iss) {
        TcpSocket socket = TcpSocket.accepting(now, this, config, stats, key.localIp, key.remoteIp, syn, localMss, iss,
                listener);
        listener.opened(socket);
        sockets.put(key, socket);
        addActive(socket);
    }

    /**
     * RFC 1122 §4.2.2.13 (RFC 6191 with timestamps): a new SYN for a four-tuple in TIME_WAIT reopens it at once,
     * from an ISN beyond anything the old incarnation sent, rather than earning the old connection's ACK, which
     * makes the peer reset and try again a second later. That is what a client reconnecting from the same port
     * meets after the server closed first (an idle timeout, {@code Connection: close}). With the backlog full the
     * SYN gets a cookie, whose ISN cannot honour that floor, as Linux does.
     */
    private void reopenFromTimeWait(Instant now, TcpListenerSocket listener, FourTuple key, TcpSocket old, TcpRepr syn) {
        int after = old.sendHighWater();
        old.endTimeWait();
        forget(key, old);
        stats.dropped(DropReason.TCP_TIME_WAIT_RECYCLED);
        if (listener.isFull()) {
            processInListen(now, listener, key.remoteIp, key.localIp, syn);
            return;
        }
        int iss = isn.next(now, key.localIp, key.localPort, key.remoteIp, key.remotePort);
        open(now, listener, key, syn, Seq.gt(iss, after) ? iss : after + 1);
    }

    /** A SYN-ACK whose ISN is the cookie, with the options the SYN offered except timestamps; no state kept. */
    private void sendCookie(Instant now, FourTuple key, TcpRepr syn) {
        boolean scale = config.windowScaling() && syn.windowScale().isPresent();
        boolean sack = config.sack() && syn.sackPermitted();
        int cookie = cookies.encode(now, key.localIp, key.localPort, key.remoteIp, key.remotePort, syn.seqNumber(),
                syn.maxSegmentSize().orElse(TcpSocket.DEFAULT_MSS),
                scale ? syn.windowScale() : java.util.OptionalInt.empty(), sack);
        TcpRepr synAck = TcpRepr.of(key.localPort, key.remotePort, cookie, syn.seqNumber() + 1,
                TcpPacket.SYN | TcpPacket.ACK, Math.min(config.receiveBuffer(), 0xFFFF))
                .withSynOptions(localMss, scale ? java.util.OptionalInt.of(TcpSocket.windowShiftFor(config.receiveBuffer())) : java.util.OptionalInt.empty(),
                        sack);
        queueStateless(new Outgoing(key.localIp, key.remoteIp, synAck));
    }

    private boolean openFromCookie(Instant now, TcpListenerSocket listener, FourTuple key, TcpRepr ack) {
        var decoded = cookies.decode(now, key.localIp, key.localPort, key.remoteIp, key.remotePort,
                ack.seqNumber() - 1, ack.ackNumber() - 1);
        if (decoded.isEmpty()) {
            stats.dropped(DropReason.TCP_BAD_SYN_COOKIE);
            return false;
        }
        if (!listener.canQueueEstablished() || !makeRoom()) {
            stats.dropped(DropReason.TCP_BACKLOG_FULL);
            return true; // no reset: the peer retransmits, and the queue may have room then
        }
        TcpSocket socket = TcpSocket.fromCookie(now, this, config, stats, key.localIp, key.remoteIp, ack, localMss,
                decoded.get());
        sockets.put(key, socket);
        addActive(socket);
        listener.establishedByCookie(socket);
        socket.process(now, ack); // its data, if any
        return true;
    }

    /**
     * Whether one more connection fits: below the limit, or once the oldest TIME_WAIT connection has been ended
     * early to make room. A server that closes first (idle timeouts, {@code Connection: close}) leaves a
     * TIME_WAIT per connection; counted against the limit, 10 000 reaped idle connections refused every new
     * client for the whole of 2*MSL. RFC 1337's hazards are old duplicates for the ended connection's own
     * four-tuple, which the new one does not share (a segment for that tuple would have reached it).
     */
    private boolean makeRoom() {
        if (sockets.size() < config.maxConnections()) {
            return true;
        }
        for (Iterator<TcpSocket> oldest = timeWaits.iterator(); oldest.hasNext(); ) {
            TcpSocket victim = oldest.next();
            oldest.remove();
            timeWaitsChanged = true;
            if (victim.state() == TcpState.TIME_WAIT) {
                victim.endTimeWait();
                forget(new FourTuple(victim.localIp, victim.localPort, victim.remoteIp, victim.remotePort), victim);
                stats.dropped(DropReason.TCP_TIME_WAIT_RECYCLED);
                return true;
            }
        }
        return false;
    }

    /** Drops a connection from every table: the demultiplexer, the walk and the TIME_WAIT queue. */
    private void forget(FourTuple key, TcpSocket socket) {
        sockets.remove(key, socket);
        removeActive(socket);
        timeWaitsChanged |= timeWaits.remove(socket);
        timeWaitsReached.remove(socket);
    }

    /** Called by a connection as it enters TIME_WAIT. */
    void enteredTimeWait(TcpSocket socket) {
        timeWaits.add(socket);
        timeWaitsChanged = true;
        removeActive(socket);
    }

    ReassemblyBudget reassemblyBudget() {
        return reassemblyBudget;
    }

    /** Takes a token for one challenge ACK (RFC 5961 §7). */
    boolean allowChallengeAck(Instant now) {
        return challengeAcks.tryAcquire(now);
    }

    /** RFC 9293 §3.10.7.1: the reset for a segment that reached no connection (never in answer to a reset). */
    private void resetFor(Ipv4Address local, Ipv4Address remote, TcpRepr segment) {
        if (segment.rst()) {
            return;
        }
        TcpRepr reset = segment.ack()
                ? TcpRepr.of(segment.destinationPort(), segment.sourcePort(), segment.ackNumber(), 0, TcpPacket.RST, 0)
                : TcpRepr.of(segment.destinationPort(), segment.sourcePort(), 0,
                        segment.seqNumber() + segment.segmentLength(), TcpPacket.RST | TcpPacket.ACK, 0);
        queueReset(local, remote, reset);
    }

    void queueReset(Ipv4Address source, Ipv4Address destination, TcpRepr reset) {
        queueStateless(new Outgoing(source, destination, reset));
    }

    /** Resets and cookies wait for the next dispatch in a bounded queue; what does not fit is a counted drop. */
    private void queueStateless(Outgoing reply) {
        if (resets.size() < RESET_QUEUE_CAPACITY) {
            resets.add(reply);
        } else {
            stats.dropped(DropReason.TCP_REPLY_QUEUE_FULL);
        }
    }

    /**
     * Sends queued resets and whatever each connection owes at {@code now}; forgets finished connections.
     * TIME_WAIT connections are visited only when a segment reached them or their time is up.
     */
    public void dispatch(Instant now, SegmentSink sink) {
        sendQueued(sink);
        visiting.clear();
        List<TcpSocket> inOrder = activeInOrder();
        for (int i = 0; i < inOrder.size(); i++) {
            visiting.add(inOrder.get(i));
        }
        if (!timeWaitsReached.isEmpty()) {
            for (TcpSocket socket : timeWaitsReached) {
                if (socket.state() == TcpState.TIME_WAIT) {
                    timeWaits.remove(socket); // its 2 MSL may have restarted: now the latest deadline
                    timeWaits.add(socket);
                    timeWaitsChanged = true;
                    visiting.add(socket);
                }
            }
            timeWaitsReached.clear();
        }
        Instant firstDue = firstTimeWaitDeadline(now);
        if (firstDue != null && !now.isBefore(firstDue)) {
            for (TcpSocket socket : timeWaits) {
                Optional<Instant> deadline = socket.timeWaitDeadline();
                if (deadline.isPresent() && now.isBefore(deadline.get())) {
                    break;
                }
                visiting.add(socket);
            }
        }
        for (int i = 0; i < visiting.size(); i++) {
            visiting.get(i).dispatch(now, sink);
        }
        sendQueued(sink); // connections may have queued resets while dispatching
        for (int i = 0; i < visiting.size(); i++) {
            TcpSocket socket = visiting.get(i);
            if (socket.isFinished()) {
                forget(new FourTuple(socket.localIp, socket.localPort, socket.remoteIp, socket.remotePort), socket);
            }
        }
        visiting.clear();
    }

    /**
     * When the oldest TIME_WAIT connection's time is up (null with none): looked up again only after the queue
     * changed, since every poll asks and a walk of the queue would make an iterator each time.
     */
    private Instant firstTimeWaitDeadline(Instant now) {
        if (timeWaitsChanged) {
            firstTimeWaitDeadline = timeWaits.isEmpty() ? null
                    : timeWaits.iterator().next().timeWaitDeadline().orElse(Instant.MIN);
            timeWaitsChanged = false;
        }
        return firstTimeWaitDeadline == Instant.MIN ? now : firstTimeWaitDeadline;
    }

    private void addActive(TcpSocket socket) {
        active.add(socket);
        activeChanged = true;
    }

    private void removeActive(TcpSocket socket) {
        active.remove(socket);
        activeChanged = true;
    }

    private List<TcpSocket> activeInOrder() {
        if (activeChanged) {
            activeInOrder.clear();
            activeInOrder.addAll(active);
            activeChanged = false;
        }
        return activeInOrder;
    }

    /** Resets and SYN-cookie SYN-ACKs, which belong to no connection. */
    private void sendQueued(SegmentSink sink) {
        while (!resets.isEmpty()) {
            Outgoing o = resets.poll();
            sink.send(o.source, o.destination, o.segment);
            if (o.segment.rst()) {
                stats.tcpResetSent();
            }
        }
    }

    /** The earliest time any connection needs a dispatch; {@code now} when something is ready to go. */
    public Optional<Instant> pollAt(Instant now) {
        return Elapsed.deadline(now, nanosUntilDue(now));
    }

    /**
     * As {@link #pollAt}, in nanoseconds from {@code now} (negative when overdue, {@code Long.MAX_VALUE} when only
     * a segment can make work): what the event loop asks before every sleep, without making an instant.
     */
    public long nanosUntilDue(Instant now) {
        if (!resets.isEmpty() || !timeWaitsReached.isEmpty()) {
            return 0;
        }
        Instant firstTimeWait = firstTimeWaitDeadline(now); // the oldest TIME_WAIT's deadline stands for all of them
        long earliest = firstTimeWait == null ? Elapsed.NEVER : Elapsed.nanos(now, firstTimeWait);
        List<TcpSocket> inOrder = activeInOrder();
        for (int i = 0; i < inOrder.size(); i++) {
            earliest = Math.min(earliest, inOrder.get(i).nanosUntilDue(now));
        }
        return earliest;
    }

    /** Where a connection makes the segments it sends, each valid until the sink has taken it. */
    TcpRepr.Reusable outgoing() {
        return outgoing;
    }

    /** Connections the layer still tracks (any state but finished CLOSED). */
    public int connectionCount() {
        return sockets.size();
    }
}
