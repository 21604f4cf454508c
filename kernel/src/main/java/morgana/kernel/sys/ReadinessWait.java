package morgana.kernel.sys;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Sleeps until a descriptor has input or another thread calls {@link #wakeup}: poll(2) over the descriptor
 * and an eventfd(2) that {@code wakeup} writes. One thread awaits; any thread may wake it.
 */
public final class ReadinessWait implements AutoCloseable {

    private final Posix posix;
    private final int eventFd;
    private final PollFds fds;
    private final ByteBuffer counter = Posix.nativeBuffer(8);
    private final ByteBuffer one = Posix.nativeBuffer(8);
    private volatile boolean closed;

    private ReadinessWait(Posix posix, int watchedFd) {
        this.posix = posix;
        this.eventFd = posix.eventfd(Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        this.fds = PollFds.readable(watchedFd, eventFd);
        one.putLong(0, 1);
    }

    /** A waiter on {@code fd}, which stays the caller's to close. */
    public static ReadinessWait on(Posix posix, int fd) {
        return new ReadinessWait(posix, fd);
    }

    /**
     * Returns when the descriptor may have input, after a {@link #wakeup}, or once {@code timeout} passed.
     * A wakeup that came before this call makes it return at once.
     */
    public void await(Duration timeout) throws InterruptedException {
        await(timeout.isNegative() || timeout.isZero() ? 0 : saturatedNanos(timeout));
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** As {@link #await(Duration)}, the timeout in nanoseconds (what an event loop has, without a Duration to make). */
    public void await(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int millis = timeoutNanos <= 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 == 0 ? 0 : 1));
        posix.poll(fds, millis);
        if (fds.isReadable(1)) {
            counter.clear();
            posix.read(eventFd, counter, "eventfd"); // drains it: eventfd reads reset the count to 0
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Cuts the current or the next {@link #await} short. Safe from any thread; a no-op once closed. */
    public void wakeup() {
        if (closed) {
            return;
        }
        ByteBuffer increment = one.duplicate(); // position is per duplicate, the bytes are shared and read-only here
        try {
            posix.write(eventFd, increment, "eventfd"); // EAGAIN only when the count is near 2^64: already awake
        } catch (SystemCallException e) {
            // closed by another thread since the check: nothing is waiting any more
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            posix.close(eventFd, "eventfd");
        }
    }
}
