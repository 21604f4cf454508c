package morgana.netstack.tcp;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The retransmission timer and its RTO estimator (RFC 6298). */
final class RetransmitTimer {

    /** RFC 6298 §2.4: whenever RTO is computed, if it is less than 1 second it is rounded up (configurable). */
    static final Duration MIN_RTO = Duration.ofSeconds(1);
    /** RFC 6298 §2.5: a maximum may be placed on RTO provided it is at least 60 seconds. */
    static final Duration MAX_RTO = Duration.ofSeconds(60);
    /** RFC 6298 §2.1: until a measurement is made, RTO is 1 second. */
    static final Duration INITIAL_RTO = Duration.ofSeconds(1);
    /** Clock granularity G: our time is as fine as the caller's, timestamps count milliseconds. */
    private static final long GRANULARITY_NANOS = Duration.ofMillis(1).toNanos();

    private final long minRto;
    private final long maxRto = MAX_RTO.toNanos();
    private long srtt = -1;
    private long rttvar;
    private long rto;
    private int backoffs;
    /** When the timer was armed (null: disarmed) and for how long: its deadline without an instant made per arm. */
    private Instant armedAt;
    private long armedFor;

    RetransmitTimer(Duration minRto) {
        this.minRto = minRto.toNanos();
        this.rto = Math.max(this.minRto, INITIAL_RTO.toNanos());
    }

    RetransmitTimer() {
        this(MIN_RTO);
    }

    /** Takes a round-trip measurement (RFC 6298 §2.2, §2.3); a new sample also undoes the backoff (§5.7). */
    void sample(Duration measured) {
        sample(measured.toNanos());
    }

    /** As above, in nanoseconds. */
    void sample(long measuredNanos) {
        long r = Math.max(0, measuredNanos);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        backoffs = 0;
        rto = computed();
    }

    /** Doubles the RTO after a timeout (RFC 6298 §5.5). */
    void backOff() {
        backoffs++;
        rto = clamp(rto * 2);
    }

    /** Undoes the backoff: the RTO is again what the estimator says (or the initial 1 s before any sample). */
    void collapse() {
        backoffs = 0;
        rto = computed();
    }

    /** Timeouts in a row since the last sample or collapse. */
    int backoffs() {
        return backoffs;
    }

    private long computed() {
        return srtt < 0 ? Math.max(minRto, INITIAL_RTO.toNanos()) : clamp(srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar));
    }

    Duration rto() {
        return Duration.ofNanos(rto);
    }

    Optional<Duration> smoothedRtt() {
        return srtt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(srtt));
    }

    /** SRTT in nanoseconds, -1 before the first sample. */
    long smoothedRttNanos() {
        return srtt < 0 ? -1 : srtt;
    }

    void arm(Instant now) {
        armedAt = now;
        armedFor = rto;
    }

    void armIfIdle(Instant now) {
        if (armedAt == null) {
            arm(now);
        }
    }

    void disarm() {
        armedAt = null;
    }

    boolean isArmed() {
        return armedAt != null;
    }

    boolean expired(Instant now) {
        return armedAt != null && Elapsed.atLeast(armedAt, now, armedFor);
    }

    /** Nanoseconds from {@code now} to the deadline (negative once past), {@link Elapsed#NEVER} when disarmed. */
    long nanosUntilExpiry(Instant now) {
        return armedAt == null ? Elapsed.NEVER : armedFor - Elapsed.nanos(armedAt, now);
    }

    Optional<Instant> deadline() {
        return armedAt == null ? Optional.empty() : Optional.of(armedAt.plusNanos(armedFor));
    }

    private long clamp(long nanos) {
        return Math.min(maxRto, Math.max(minRto, nanos));
    }
}
