package morgana.netstack.phy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A {@link Device} that passes the frames sent through it to another, mistreated the way real networks do:
 * lost, duplicated, reordered, corrupted, delayed (fixed plus jitter), and shaped to a rate limit (a queue
 * drained at so many bytes a second, dropping what would wait longer than a bound). Received frames pass
 * untouched: wrap the other end too for faults both ways.
 *
 * <p>Reproducible: every decision comes from a {@link Random} seeded by the caller, and time from the caller's
 * {@code clock}. Frames held back go out on a later call of {@link #transmit} or {@link #receive} once due
 * (the stack calls receive on every poll); {@link #nextRelease} says when, and the {@link
 * morgana.netstack.sim.Simulator} wakes up for it.
 *
 * <pre>{@code
 * FaultInjector lossy = new FaultInjector(link.a(), 42, sim::now)
 *         .loss(0.02).duplication(0.01).reordering(0.05).corruption(0.001)
 *         .delay(Duration.ofMillis(20), Duration.ofMillis(5)).rateLimit(1_000_000, Duration.ofMillis(200));
 * }</pre>
 */
public final class FaultInjector implements Device {

    private record Held(Instant releaseAt, long order, byte[] frame) {
    }

    /** How much longer than the others a reordered frame waits, unless told otherwise. */
    public static final Duration DEFAULT_REORDER_DELAY = Duration.ofMillis(20);

    private final Device inner;
    private final Random random;
    private final Supplier<Instant> clock;
    private final PriorityQueue<Held> held = new PriorityQueue<>(
            (x, y) -> x.releaseAt.equals(y.releaseAt) ? Long.compare(x.order, y.order) : x.releaseAt.compareTo(y.releaseAt));
    private double loss;
    private double duplication;
    private double reordering;
    private Duration reorderDelay = DEFAULT_REORDER_DELAY;
    private double corruption;
    private Duration delay = Duration.ZERO;
    private Duration jitter = Duration.ZERO;
    private long bytesPerSecond;
    private Duration maxQueueDelay = Duration.ZERO;
    private Instant linkFreeAt = Instant.MIN;
    private long order;
    private long lost;
    private long duplicated;
    private long reordered;
    private long corrupted;
    private long rateLimited;

    public FaultInjector(Device inner, long seed, Supplier<Instant> clock) {
        this.inner = inner;
        this.random = new Random(seed);
        this.clock = clock;
    }

    /** Drops each frame with probability {@code p}. */
    public FaultInjector loss(double p) {
        loss = probability(p);
        return this;
    }

    /** Sends each frame twice with probability {@code p}. */
    public FaultInjector duplication(double p) {
        duplication = probability(p);
        return this;
    }

    /**
     * Holds a frame back {@link #DEFAULT_REORDER_DELAY} longer than the others with probability {@code p}, so
     * that frames sent soon after it overtake it.
     */
    public FaultInjector reordering(double p) {
        return reordering(p, DEFAULT_REORDER_DELAY);
    }

    /** Holds a frame back {@code extraDelay} longer than the others with probability {@code p}. */
    public FaultInjector reordering(double p, Duration extraDelay) {
        if (extraDelay.isNegative() || extraDelay.isZero()) {
            throw new IllegalArgumentException("a reordering delay is positive: " + extraDelay);
        }
        reordering = probability(p);
        reorderDelay = extraDelay;
        return this;
    }

    /** Flips one random bit of a frame with probability {@code p}. */
    public FaultInjector corruption(double p) {
        corruption = probability(p);
        return this;
    }

    /** Delays every frame by {@code fixed} plus a uniform random part up to {@code jitter} (which reorders). */
    public FaultInjector delay(Duration fixed, Duration jitter) {
        if (fixed.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delays are not negative: " + fixed + ", " + jitter);
        }
        this.delay = fixed;
        this.jitter = jitter;
        return this;
    }

    /**
     * Sends at most {@code bytesPerSecond}, queuing the excess, and drops a frame that would wait in the queue
     * longer than {@code maxQueueDelay} (a router's tail drop).
     */
    public FaultInjector rateLimit(long bytesPerSecond, Duration maxQueueDelay) {
        if (bytesPerSecond < 1 || maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("a rate limit is at least 1 byte/s with a queue delay of 0 or more");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.maxQueueDelay = maxQueueDelay;
        return this;
    }

    private static double probability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability is 0 to 1, not " + p);
        }
        return p;
    }

    @Override
    public boolean receive(ByteBuffer frame) {
        release(clock.get());
        return inner.receive(frame);
    }

    @Override
    public void transmit(ByteBuffer frame) {
        Instant now = clock.get();
        release(now);
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        if (loss > 0 && random.nextDouble() < loss) {
            lost++;
            return;
        }
        if (corruption > 0 && copy.length > 0 && random.nextDouble() < corruption) {
            int bit = random.nextInt(copy.length * 8);
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            corrupted++;
        }
        int copies = duplication > 0 && random.nextDouble() < duplication ? 2 : 1;
        if (copies == 2) {
            duplicated++;
        }
        for (int i = 0; i < copies; i++) {
            boolean late = reordering > 0 && random.nextDouble() < reordering;
            if (late) {
                reordered++;
            }
            schedule(now, copy.clone(), late ? reorderDelay : Duration.ZERO);
        }
        release(now);
    }

    private void schedule(Instant now, byte[] frame, Duration extra) {
        Instant departs = now;
        if (bytesPerSecond > 0) {
            Instant start = linkFreeAt.isAfter(now) ? linkFreeAt : now;
            if (Duration.between(now, start).compareTo(maxQueueDelay) > 0) {
                rateLimited++;
                return;
            }
            long serializeNanos = frame.length * 1_000_000_000L / bytesPerSecond;
            linkFreeAt = start.plusNanos(serializeNanos);
            departs = linkFreeAt;
        }
        Instant releaseAt = departs.plus(delay).plus(extra);
        if (!jitter.isZero()) {
            releaseAt = releaseAt.plusNanos(random.nextLong(jitter.toNanos() + 1));
        }
        held.add(new Held(releaseAt, order++, frame));
    }

    private void release(Instant now) {
        while (!held.isEmpty() && !held.peek().releaseAt.isAfter(now)) {
            inner.transmit(ByteBuffer.wrap(held.poll().frame));
        }
    }

    /** When the next held frame is due. */
    public Optional<Instant> nextRelease() {
        return held.isEmpty() ? Optional.empty() : Optional.of(held.peek().releaseAt);
    }

    /** Frames held back (delayed, queued or to be reordered). */
    public int held() {
        return held.size();
    }

    /** Sends everything held back at once, in release order. */
    public void flush() {
        while (!held.isEmpty()) {
            inner.transmit(ByteBuffer.wrap(held.poll().frame));
        }
    }

    public long lost() {
        return lost;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    public long corrupted() {
        return corrupted;
    }

    /** Frames dropped because the rate limit's queue was too long. */
    public long rateLimited() {
        return rateLimited;
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void awaitFrame(Duration timeout) throws InterruptedException {
        inner.awaitFrame(timeout);
    }

    @Override
    public void wakeup() {
        inner.wakeup();
    }
}
