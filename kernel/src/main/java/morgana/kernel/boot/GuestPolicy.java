package morgana.kernel.boot;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How PID 1 behaves around the network: how much it says on the console, what it does when something fatal
 * happens, how long it lets a shutdown drain and the event loop stall, and, for tests only, a fault to force.
 *
 * @param memoryMib     the memory the image was built for (a hint: PID 1 reports it beside what the kernel saw)
 * @param console       the kernel console the image's command line names, such as {@code ttyS0} or {@code hvc0}
 * @param drainTimeout  how long a shutdown waits for open connections to finish before closing them
 * @param watchdogTimeout how long the event loop may not answer before PID 1 declares it hung
 * @param forcedFault   a fault PID 1 provokes once serving, so that boot tests can watch the fatal path
 */
public record GuestPolicy(int memoryMib, String console, LogLevel logLevel, FatalAction onFatal, Duration drainTimeout,
                          Duration watchdogTimeout, Optional<ForcedFault> forcedFault) {

    public static final GuestPolicy DEFAULTS = new GuestPolicy(512, "ttyS0", LogLevel.INFO, FatalAction.POWEROFF,
            Duration.ofSeconds(10), Duration.ofSeconds(30), Optional.empty());

    public GuestPolicy {
        if (memoryMib < 16) {
            throw new IllegalArgumentException("a JVM guest needs at least 16 MiB, not " + memoryMib);
        }
        if (!console.matches("[A-Za-z0-9]{1,32}")) {
            throw new IllegalArgumentException("a console is a device name like ttyS0 or hvc0, not \"" + console + "\"");
        }
        requireSeconds(drainTimeout, "the shutdown drain");
        requireSeconds(watchdogTimeout, "the watchdog timeout");
        if (watchdogTimeout.isZero()) {
            throw new IllegalArgumentException("the watchdog timeout must be at least one second");
        }
    }

    private static void requireSeconds(Duration d, String what) {
        if (d.isNegative() || d.toSeconds() > 3600 || d.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(what + " is whole seconds from 0 to 3600, not " + d);
        }
    }

    public GuestPolicy withForcedFault(ForcedFault fault) {
        return new GuestPolicy(memoryMib, console, logLevel, onFatal, drainTimeout, watchdogTimeout, Optional.of(fault));
    }

    public GuestPolicy withDrainTimeout(Duration drain) {
        return new GuestPolicy(memoryMib, console, logLevel, onFatal, drain, watchdogTimeout, forcedFault);
    }

    /** How much PID 1 prints: {@code quiet} the boot timings and failures only, {@code debug} also counters. */
    public enum LogLevel {
        QUIET, INFO, DEBUG;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a fatal error ends in, once reported: the machine off, or a fresh boot. */
    public enum FatalAction {
        POWEROFF, REBOOT;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A failure a test manifest asks PID 1 to cause: heap exhaustion, an uncaught exception, a hung event loop. */
    public enum ForcedFault {
        OOM, EXCEPTION, STALL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The constant of {@code type} whose lower-case word is {@code word}; the message lists the choices. */
    static <E extends Enum<E>> E parseWord(Class<E> type, String word) {
        for (E value : type.getEnumConstants()) {
            if (value.name().toLowerCase(Locale.ROOT).equals(word)) {
                return value;
            }
        }
        throw new IllegalArgumentException("one of " + words(type) + ", not \"" + word + "\"");
    }

    static <E extends Enum<E>> String words(Class<E> type) {
        return String.join(" | ", java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }
}
