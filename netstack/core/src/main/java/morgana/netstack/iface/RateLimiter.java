package morgana.netstack.iface;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on the caller's clock: {@code burst} tokens at most, one more every {@code interval}. Limits
 * the answers the stack owes strangers (ICMP errors, RFC 1122 §3.2.2 and RFC 1812 §4.3.2.8; resets for closed
 * ports), so a flood of probes cannot make it a flood of replies.
 */
public final class RateLimiter {

    /** 20 at once, then 50 a second. */
    public static RateLimiter defaults() {
        return new RateLimiter(20, Duration.ofMillis(20));
    }

    private final int burst;
    private final long intervalNanos;
    private long tokens;
    private Instant refilledAt;

    public RateLimiter(int burst, Duration interval) {
        if (burst < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a rate limiter needs a burst of 1 or more and a positive interval");
        }
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.tokens = burst;
    }

    /** Takes a token if one is left at {@code now}. */
    public boolean tryAcquire(Instant now) {
        if (refilledAt == null) {
            refilledAt = now;
        } else if (now.isAfter(refilledAt)) {
            long elapsed = Duration.between(refilledAt, now).toNanos();
            long earned = elapsed / intervalNanos;
            if (earned > 0) {
                tokens = Math.min(burst, tokens + earned);
                refilledAt = tokens == burst ? now : refilledAt.plusNanos(earned * intervalNanos);
            }
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
