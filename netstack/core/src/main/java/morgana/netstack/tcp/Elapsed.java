package morgana.netstack.tcp;

import java.time.Instant;
import java.util.Optional;

/**
 * Time between two of the stack's instants, in nanoseconds, without making an {@code Instant} or a
 * {@code Duration}: what a connection asks of its timers for every segment (issue 4: no allocation per packet).
 */
public final class Elapsed {

    /** What a time-to-deadline in nanoseconds is when there is no deadline. */
    public static final long NEVER = Long.MAX_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Beyond this many seconds apart the nanoseconds would overflow a long (about 292 years). */
    private static final long MAX_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND - 1;

    private Elapsed() {
    }

    /** The nanoseconds from {@code since} to {@code now}, negative when {@code now} is earlier, saturating. */
    public static long nanos(Instant since, Instant now) {
        long seconds = now.getEpochSecond() - since.getEpochSecond();
        if (seconds > MAX_SECONDS) {
            return Long.MAX_VALUE;
        }
        if (seconds < -MAX_SECONDS) {
            return Long.MIN_VALUE;
        }
        return seconds * NANOS_PER_SECOND + (now.getNano() - since.getNano());
    }

    /** Whether {@code now} is {@code nanos} or more after {@code since}: {@code !now.isBefore(since.plusNanos(nanos))}. */
    public static boolean atLeast(Instant since, Instant now, long nanos) {
        return nanos(since, now) >= nanos;
    }

    /** The instant {@code nanos} after {@code now}, as a {@code pollAt} gives it: empty for {@link #NEVER}. */
    public static Optional<Instant> deadline(Instant now, long nanos) {
        return nanos == NEVER ? Optional.empty() : Optional.of(now.plusNanos(nanos));
    }
}
