package morgana.fuzz;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The contract every parser under fuzzing keeps (netstack's {@code morgana.netstack.wire} package doc, the blog's
 * {@code SiteException}): on any input it returns a value or throws its one documented exception, and it does so
 * within {@link #BUDGET}. Anything else fails the target with the input in hex, so a finding reads as a bug report.
 */
public final class ParserContract {

    /** Generous for one input of at most a few kilobytes, including a cold JIT on a shared CI machine. */
    public static final Duration BUDGET = Duration.ofSeconds(2);

    private ParserContract() {
    }

    /** A parse step that may refuse its input with the documented exception {@code E}. */
    @FunctionalInterface
    public interface Step<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code step}: its value, or empty when it threw {@code refusal} (the documented malformed-input
     * exception). Any other exception, or a run longer than {@link #BUDGET}, is an {@link AssertionError}.
     */
    public static <T, E extends Exception> Optional<T> valueOrRefusal(byte[] input, Class<E> refusal, Step<T, E> step) {
        long start = System.nanoTime();
        try {
            return Optional.of(step.run());
        } catch (Exception e) {
            if (refusal.isInstance(e)) {
                return Optional.empty();
            }
            throw new AssertionError("threw " + e + " instead of " + refusal.getSimpleName() + " on " + hex(input), e);
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("threw " + e + " on " + hex(input), e);
        } finally {
            withinBudget(start, input);
        }
    }

    /** Runs {@code step}, which must not throw at all (a renderer, an accessor of a checked view). */
    public static <T> T value(byte[] input, Step<T, RuntimeException> step) {
        long start = System.nanoTime();
        try {
            return step.run();
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("threw " + e + " on " + hex(input), e);
        } finally {
            withinBudget(start, input);
        }
    }

    private static void withinBudget(long startNanos, byte[] input) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        if (took.compareTo(BUDGET) > 0) {
            throw new AssertionError("took " + took.toMillis() + " ms, over the " + BUDGET.toMillis()
                    + " ms budget, on " + hex(input));
        }
    }

    public static String hex(byte[] input) {
        byte[] shown = input.length > 256 ? java.util.Arrays.copyOf(input, 256) : input;
        return input.length + " bytes " + HexFormat.of().formatHex(shown) + (input.length > 256 ? "..." : "");
    }
}
