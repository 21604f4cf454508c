package morgana.netstack.tcp;

import java.time.Duration;
import java.util.Optional;

/**
 * Tunables of the TCP layer. Build variations from {@link #defaults()} with the {@code with...} methods.
 *
 * @param isnSecret          the secret key of the initial sequence number function (RFC 6528 §3) and of SYN
 *                           cookies; give each boot a random one, since a predictable ISN lets off-path hosts
 *                           inject segments
 * @param receiveBuffer      bytes each connection buffers in, up to 1 GiB; also its largest advertised window
 *                           (scaled when the peer agrees to window scaling, else at most 65535). Memory is taken
 *                           as data arrives, not up front
 * @param sendBuffer         bytes each connection buffers out
 * @param backlog            connections per listener that are half-open or established but not yet accepted
 * @param timeWait           how long TIME_WAIT lasts: 2*MSL (RFC 9293 §3.4.2 suggests MSL = 2 min; a server
 *                           that rarely closes first can afford much less)
 * @param maxRetransmissions consecutive timeouts of one segment before the connection is reset
 *                           (RFC 1122 §4.2.3.5 "R2")
 * @param finWait2Timeout    how long FIN_WAIT_2 may go without hearing from the peer before the connection is
 *                           dropped: RFC 9293 sets no limit, but a peer that never closes would otherwise hold
 *                           it forever (Linux's tcp_fin_timeout does the same)
 * @param minRto             the floor of the retransmission timeout (RFC 6298 §2.4 says 1 s; Linux uses 200 ms)
 * @param delayedAck         how long an ACK for in-order data may wait for a second segment (RFC 1122 §4.2.3.2:
 *                           at most 500 ms; RFC 5681 §4.2: every second full-sized segment is ACKed at once);
 *                           zero ACKs every segment at once
 * @param congestionControl  NewReno (RFC 5681, RFC 6582) or CUBIC (RFC 9438)
 * @param nagle              whether new connections start with Nagle's algorithm on (RFC 896, RFC 1122
 *                           §4.2.3.4); each connection can switch it, like TCP_NODELAY
 * @param keepAlive          keepalive probing (RFC 1122 §4.2.3.6), off when empty
 * @param windowScaling      offer and accept window scaling (RFC 7323 §2)
 * @param sack               offer and accept selective acknowledgments (RFC 2018)
 * @param timestamps         offer and accept timestamps (RFC 7323 §3), for RTT measurement and PAWS
 * @param synCookies         answer SYNs to a full backlog with SYN cookies (RFC 4987 §3.6) instead of dropping them
 * @param maxConnections     connections the layer tracks at most, in any state; SYNs and connects beyond are refused
 * @param reassemblyLimit    bytes of out-of-order data held by all connections together
 * @param challengeAcksPerSecond challenge ACKs the layer sends at most per second (RFC 5961 §7)
 */
public record TcpConfig(long isnSecret, int receiveBuffer, int sendBuffer, int backlog, Duration timeWait,
                        int maxRetransmissions, Duration finWait2Timeout, Duration minRto, Duration delayedAck,
                        CongestionAlgorithm congestionControl, boolean nagle, Optional<KeepAlive> keepAlive,
                        boolean windowScaling, boolean sack, boolean timestamps, boolean synCookies,
                        int maxConnections, int reassemblyLimit, int challengeAcksPerSecond) {

    /** The largest receive buffer: a window scale of 14 reaches 2^30 bytes (RFC 7323 §2.3). */
    public static final int MAX_RECEIVE_BUFFER = 1 << 30;

    /** The congestion controllers to choose from. */
    public enum CongestionAlgorithm { NEW_RENO, CUBIC }

    /**
     * Keepalive (RFC 1122 §4.2.3.6): after {@code idle} without a segment from the peer, a probe every
     * {@code interval}; after {@code probes} unanswered ones the connection is reset.
     */
    public record KeepAlive(Duration idle, Duration interval, int probes) {

        /** Linux's defaults (tcp_keepalive_time, _intvl, _probes): what SO_KEEPALIVE turns on when nothing else is set. */
        public static final KeepAlive LINUX_DEFAULTS = new KeepAlive(Duration.ofHours(2), Duration.ofSeconds(75), 9);

        public KeepAlive {
            if (idle.isNegative() || idle.isZero() || interval.isNegative() || interval.isZero() || probes < 1) {
                throw new IllegalArgumentException("keepalive needs a positive idle time and interval and at least one probe");
            }
        }
    }

    public TcpConfig {
        if (receiveBuffer < 1 || receiveBuffer > MAX_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("the receive buffer is 1 byte to 1 GiB (window scale 14), not " + receiveBuffer);
        }
        if (sendBuffer < 1) {
            throw new IllegalArgumentException("the send buffer needs at least 1 byte, not " + sendBuffer);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("a listen backlog is at least 1, not " + backlog);
        }
        if (timeWait.isNegative()) {
            throw new IllegalArgumentException("TIME_WAIT cannot be negative: " + timeWait);
        }
        if (finWait2Timeout.isNegative() || finWait2Timeout.isZero()) {
            throw new IllegalArgumentException("the FIN_WAIT_2 timeout must be positive: " + finWait2Timeout);
        }
        if (maxRetransmissions < 1) {
            throw new IllegalArgumentException("at least one retransmission, not " + maxRetransmissions);
        }
        if (minRto.isNegative() || minRto.isZero() || minRto.compareTo(RetransmitTimer.MAX_RTO) > 0) {
            throw new IllegalArgumentException("the minimum RTO is positive and at most 60 s, not " + minRto);
        }
        if (delayedAck.isNegative() || delayedAck.compareTo(Duration.ofMillis(500)) > 0) {
            throw new IllegalArgumentException("RFC 1122 §4.2.3.2 allows an ACK delay of 0 to 500 ms, not " + delayedAck);
        }
        if (maxConnections < 1 || reassemblyLimit < 0 || challengeAcksPerSecond < 1) {
            throw new IllegalArgumentException("limits must be positive: connections " + maxConnections
                    + ", reassembly " + reassemblyLimit + ", challenge ACKs " + challengeAcksPerSecond);
        }
    }

    /**
     * 256 KiB buffers, a backlog of 128, TIME_WAIT of 10 s, 8 retransmissions, FIN_WAIT_2 of 60 s, a 1 s minimum
     * RTO, 40 ms delayed ACKs, NewReno, Nagle off (as Netty's TCP_NODELAY default), no keepalive, window scaling,
     * SACK, timestamps and SYN cookies on, 10 000 connections, 16 MiB of out-of-order data in all, 100 challenge
     * ACKs a second, and a fixed ISN secret (replace it with {@link #withIsnSecret} and a random value at boot).
     */
    public static TcpConfig defaults() {
        return new TcpConfig(0x6d6f7267616e61L, 256 * 1024, 256 * 1024, 128, Duration.ofSeconds(10), 8,
                Duration.ofSeconds(60), RetransmitTimer.MIN_RTO, Duration.ofMillis(40), CongestionAlgorithm.NEW_RENO,
                false, Optional.empty(), true, true, true, true, 10_000, 16 << 20, 100);
    }

    public TcpConfig withIsnSecret(long secret) {
        return new Builder(this).isnSecret(secret).build();
    }

    public TcpConfig withTimeWait(Duration duration) {
        return new Builder(this).timeWait(duration).build();
    }

    /** TIME_WAIT of twice {@code msl}, the maximum segment lifetime (RFC 9293 §3.4.2). */
    public TcpConfig withMsl(Duration msl) {
        return withTimeWait(msl.multipliedBy(2));
    }

    public TcpConfig withBuffers(int receive, int send) {
        return new Builder(this).buffers(receive, send).build();
    }

    public TcpConfig withBacklog(int connections) {
        return new Builder(this).backlog(connections).build();
    }

    public TcpConfig withMaxRetransmissions(int count) {
        return new Builder(this).maxRetransmissions(count).build();
    }

    public TcpConfig withFinWait2Timeout(Duration duration) {
        return new Builder(this).finWait2Timeout(duration).build();
    }

    public TcpConfig withMinRto(Duration duration) {
        return new Builder(this).minRto(duration).build();
    }

    public TcpConfig withDelayedAck(Duration duration) {
        return new Builder(this).delayedAck(duration).build();
    }

    public TcpConfig withCongestionControl(CongestionAlgorithm algorithm) {
        return new Builder(this).congestionControl(algorithm).build();
    }

    public TcpConfig withNagle(boolean on) {
        return new Builder(this).nagle(on).build();
    }

    public TcpConfig withKeepAlive(KeepAlive settings) {
        return new Builder(this).keepAlive(Optional.of(settings)).build();
    }

    /** Which options SYNs offer and accept: window scaling, SACK-permitted, timestamps. */
    public TcpConfig withOptions(boolean scaling, boolean selectiveAcks, boolean stamps) {
        return new Builder(this).options(scaling, selectiveAcks, stamps).build();
    }

    public TcpConfig withSynCookies(boolean on) {
        return new Builder(this).synCookies(on).build();
    }

    public TcpConfig withLimits(int connections, int reassemblyBytes, int challengeAcks) {
        return new Builder(this).limits(connections, reassemblyBytes, challengeAcks).build();
    }

    /** A mutable copy, so each {@code with...} method names one change. */
    private static final class Builder {
        private long isnSecret;
        private int receiveBuffer;
        private int sendBuffer;
        private int backlog;
        private Duration timeWait;
        private int maxRetransmissions;
        private Duration finWait2Timeout;
        private Duration minRto;
        private Duration delayedAck;
        private CongestionAlgorithm congestionControl;
        private boolean nagle;
        private Optional<KeepAlive> keepAlive;
        private boolean windowScaling;
        private boolean sack;
        private boolean timestamps;
        private boolean synCookies;
        private int maxConnections;
        private int reassemblyLimit;
        private int challengeAcksPerSecond;

        Builder(TcpConfig c) {
            isnSecret = c.isnSecret;
            receiveBuffer = c.receiveBuffer;
            sendBuffer = c.sendBuffer;
            backlog = c.backlog;
            timeWait = c.timeWait;
            maxRetransmissions = c.maxRetransmissions;
            finWait2Timeout = c.finWait2Timeout;
            minRto = c.minRto;
            delayedAck = c.delayedAck;
            congestionControl = c.congestionControl;
            nagle = c.nagle;
            keepAlive = c.keepAlive;
            windowScaling = c.windowScaling;
            sack = c.sack;
            timestamps = c.timestamps;
            synCookies = c.synCookies;
            maxConnections = c.maxConnections;
            reassemblyLimit = c.reassemblyLimit;
            challengeAcksPerSecond = c.challengeAcksPerSecond;
        }

        Builder isnSecret(long v) { isnSecret = v; return this; }
        Builder buffers(int receive, int send) { receiveBuffer = receive; sendBuffer = send; return this; }
        Builder backlog(int v) { backlog = v; return this; }
        Builder timeWait(Duration v) { timeWait = v; return this; }
        Builder maxRetransmissions(int v) { maxRetransmissions = v; return this; }
        Builder finWait2Timeout(Duration v) { finWait2Timeout = v; return this; }
        Builder minRto(Duration v) { minRto = v; return this; }
        Builder delayedAck(Duration v) { delayedAck = v; return this; }
        Builder congestionControl(CongestionAlgorithm v) { congestionControl = v; return this; }
        Builder nagle(boolean v) { nagle = v; return this; }
        Builder keepAlive(Optional<KeepAlive> v) { keepAlive = v; return this; }
        Builder synCookies(boolean v) { synCookies = v; return this; }

        Builder options(boolean scaling, boolean selectiveAcks, boolean stamps) {
            windowScaling = scaling;
            sack = selectiveAcks;
            timestamps = stamps;
            return this;
        }

        Builder limits(int connections, int reassemblyBytes, int challengeAcks) {
            maxConnections = connections;
            reassemblyLimit = reassemblyBytes;
            challengeAcksPerSecond = challengeAcks;
            return this;
        }

        TcpConfig build() {
            return new TcpConfig(isnSecret, receiveBuffer, sendBuffer, backlog, timeWait, maxRetransmissions,
                    finWait2Timeout, minRto, delayedAck, congestionControl, nagle, keepAlive, windowScaling, sack,
                    timestamps, synCookies, maxConnections, reassemblyLimit, challengeAcksPerSecond);
        }
    }
}
