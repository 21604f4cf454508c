package morgana.kernel.boot;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Times the {@link BootStep}s on the kernel's clock, so that the console reads as one time line from the
 * kernel's start: each step prints {@code morgana: boot <step> at <uptime> s (+<since the previous> s)}, and
 * the last one a summary of them all.
 *
 * <p>Java's {@link System#nanoTime} and the kernel's uptime tick together (both CLOCK_MONOTONIC on Linux,
 * and a guest does not suspend), but start apart; the offset between them is taken from /proc/uptime once
 * /proc is mounted ({@link #calibrate}), to its 10 ms resolution. Steps marked before that are printed then.
 */
public final class BootTimeline {

    private final Console console;
    private final LongSupplier nanos;
    private final Map<BootStep, Long> marks = new EnumMap<>(BootStep.class);
    private Long uptimeMinusNanos;
    private Duration jvmStart;

    public BootTimeline(Console console, LongSupplier nanos) {
        this.console = console;
        this.nanos = nanos;
    }

    /** Marks {@code step} now; a step already marked keeps its first time. {@link BootStep#JVM} comes from {@link #calibrate}. */
    public synchronized void mark(BootStep step) {
        if (step == BootStep.JVM) {
            throw new IllegalArgumentException("the JVM's start is the kernel's to tell: pass it to calibrate");
        }
        if (marks.putIfAbsent(step, nanos.getAsLong()) == null && uptimeMinusNanos != null) {
            print(step);
            if (step == BootStep.FIRST_ACCEPT) {
                console.always(summary());
            }
        }
    }

    /**
     * Ties the clocks together: {@code uptime} is the kernel's uptime read just now; {@code jvmStart} the
     * uptime when the kernel started this process, if known. Prints the steps marked so far.
     */
    public synchronized void calibrate(Duration uptime, Optional<Duration> jvmStart) {
        uptimeMinusNanos = uptime.toNanos() - nanos.getAsLong();
        this.jvmStart = jvmStart.orElse(null);
        if (this.jvmStart != null) {
            console.always("boot " + BootStep.JVM.word() + " at " + seconds(this.jvmStart) + " s (kernel start to init)");
        }
        for (BootStep step : marks.keySet()) {
            print(step);
        }
    }

    /** The kernel's uptime at {@code step}, if it was marked and the clocks are tied. */
    public synchronized Optional<Duration> uptimeAt(BootStep step) {
        if (step == BootStep.JVM) {
            return Optional.ofNullable(jvmStart);
        }
        Long at = marks.get(step);
        return at == null || uptimeMinusNanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(at + uptimeMinusNanos));
    }

    /** The kernel's uptime now by Java's clock, once calibrated. */
    public synchronized Optional<Duration> uptimeNow() {
        return uptimeMinusNanos == null ? Optional.empty() : Optional.of(Duration.ofNanos(nanos.getAsLong() + uptimeMinusNanos));
    }

    /** One line with every step timed so far: {@code boot timings (kernel uptime, s): jvm=1.71 main=2.30 ...}. */
    public synchronized String summary() {
        StringBuilder line = new StringBuilder("boot timings (kernel uptime, s):");
        for (BootStep step : BootStep.values()) {
            uptimeAt(step).ifPresent(at -> line.append(' ').append(step.word()).append('=').append(seconds(at)));
        }
        return line.toString();
    }

    private void print(BootStep step) {
        Duration at = uptimeAt(step).orElseThrow();
        Optional<Duration> previous = previous(step);
        console.always("boot " + step.word() + " at " + seconds(at) + " s"
                + previous.map(p -> " (+" + seconds(at.minus(p)) + " s)").orElse(""));
    }

    private Optional<Duration> previous(BootStep step) {
        for (int i = step.ordinal() - 1; i >= 0; i--) {
            Optional<Duration> at = uptimeAt(BootStep.values()[i]);
            if (at.isPresent()) {
                return at;
            }
        }
        return Optional.empty();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }
}
