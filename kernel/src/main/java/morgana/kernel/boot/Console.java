package morgana.kernel.boot;

import java.io.PrintStream;
import morgana.kernel.boot.GuestPolicy.LogLevel;

/**
 * The machine's console as PID 1 sees it: one line per boot step, prefixed {@code morgana: } so they stand
 * out among the Linux kernel's messages on the serial port. Every line is flushed at once, since the next
 * thing may be a power-off. What is printed depends on the manifest's log level: {@link #step} lines are
 * for {@code info} and {@code debug}, {@link #detail} lines for {@code debug} only, and {@link #always} lines
 * (boot timings, shutdown, fatal errors) for every level.
 */
public final class Console {

    private final PrintStream out;
    private volatile LogLevel level = LogLevel.INFO;

    public Console(PrintStream out) {
        this.out = out;
    }

    public static Console system() {
        return new Console(System.out);
    }

    /** From the manifest on; until it is read, the level is {@code info}. */
    public void setLevel(LogLevel level) {
        this.level = level;
    }

    public void step(String message) {
        if (level != LogLevel.QUIET) {
            always(message);
        }
    }

    public void detail(String message) {
        if (level == LogLevel.DEBUG) {
            always(message);
        }
    }

    public void always(String message) {
        synchronized (out) {
            out.println("morgana: " + message);
            out.flush();
        }
    }

    public void fatal(String reason) {
        always("fatal: " + reason);
    }
}
