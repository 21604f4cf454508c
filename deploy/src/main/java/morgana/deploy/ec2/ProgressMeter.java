package morgana.deploy.ec2;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Bytes sent of bytes to send, with the rate, printed at most once a second and once at the end. */
final class ProgressMeter {
    private static final long QUIET_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String what;
    private final long total;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastPrinted = new AtomicLong(start);

    ProgressMeter(PrintStream out, String what, long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    void advance(long bytes) {
        long now = System.nanoTime();
        done.addAndGet(bytes);
        long last = lastPrinted.get();
        if (now - last >= QUIET_NANOS && lastPrinted.compareAndSet(last, now)) {
            out.println(line(now));
        }
    }

    void finish() {
        out.println(line(System.nanoTime()));
    }

    String line(long now) {
        long sent = done.get();
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        return String.format(Locale.ROOT, "  %s: %s of %s (%d%%) at %s/s", what, mib(sent), mib(total),
                total == 0 ? 100 : sent * 100 / total, mib((long) (sent / seconds)));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
