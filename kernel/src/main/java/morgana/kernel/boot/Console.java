package morgana.kernel.boot;

import java.io.PrintStream;

/**
 * The machine's console as PID 1 sees it: one line per boot step, prefixed {@code morgana: } so they stand
 * out among the Linux kernel's messages on the serial port. Every line is flushed at once, since the next
 * thing may be a power-off.
 */
public final class Console {

    private final PrintStream out;

    public Console(PrintStream out) {
        this.out = out;
    }

    public static Console system() {
        return new Console(System.out);
    }

    public void step(String message) {
        out.println("morgana: " + message);
        out.flush();
    }

    public void fatal(String reason) {
        step("fatal: " + reason);
    }
}
