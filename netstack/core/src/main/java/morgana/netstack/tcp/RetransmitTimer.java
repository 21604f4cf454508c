package morgana.netstack.tcp;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The retransmission timer and its RTO estimator (RFC 6298). */
final class RetransmitTimer {

    /** RFC 6298 §2.4: whenever RTO is computed, if it is less than 1 second it is rounded up. */
    static final long MIN_RTO_NANOS = Duration.ofSeconds(1).toNanos();
    /** RFC 6298 §2.5: a maximum may be placed on RTO provided it is at least 60 seconds. */
    static final long MAX_RTO_NANOS = Duration.ofSeconds(60).toNanos();
    /** RFC 6298 §2.1: until a measurement is made, RTO is 1 second. */
    static final long INITIAL_RTO_NANOS = Duration.ofSeconds(1).toNanos();
    /** Clock granularity G: our time is as fine as the caller's. */
    private static final long GRANULARITY_NANOS = Duration.ofMillis(1).toNanos();

    private long srtt = -1;
    private long rttvar;
    private long rto = INITIAL_RTO_NANOS;
    private Instant deadline;

    /** Takes a round-trip measurement (RFC 6298 §2.2, §2.3). */
    void sample(Duration measured) {
        long r = Math.max(0, measured.toNanos());
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = clamp(srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar));
    }

    /** Doubles the RTO after a timeout (RFC 6298 §5.5). */
    void backOff() {
        rto = clamp(rto * 2);
    }

    /** Undoes the backoff: the RTO is again what the estimator says (or the initial 1 s before any sample). */
    void collapse() {
        rto = srtt < 0 ? INITIAL_RTO_NANOS : clamp(srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar));
    }

    Duration rto() {
        return Duration.ofNanos(rto);
    }

    Optional<Duration> smoothedRtt() {
        return srtt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(srtt));
    }

    void arm(Instant now) {
        deadline = now.plusNanos(rto);
    }

    void armIfIdle(Instant now) {
        if (deadline == null) {
            arm(now);
        }
    }

    void disarm() {
        deadline = null;
    }

    boolean isArmed() {
        return deadline != null;
    }

    boolean expired(Instant now) {
        return deadline != null && !now.isBefore(deadline);
    }

    Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    private static long clamp(long nanos) {
        return Math.min(MAX_RTO_NANOS, Math.max(MIN_RTO_NANOS, nanos));
    }
}
