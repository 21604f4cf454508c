package morgana.kernel.boot;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Asks the event loop every {@link #PERIOD} to run an empty task, and reports a fatal error when it does not
 * within the manifest's timeout: a hung loop serves nobody, and only a report and a restart help.
 */
final class Watchdog {

    static final Duration PERIOD = Duration.ofSeconds(1);

    private Watchdog() {
    }

    /** Starts the watchdog's daemon thread; it stops after its first report, or when {@code stopped} says so. */
    static Thread start(Serving serving, Duration timeout, BooleanSupplier stopped, Consumer<Ending> report) {
        return Thread.ofPlatform().daemon().name("morgana-watchdog").start(() -> {
            while (!stopped.getAsBoolean()) {
                if (!serving.answers(timeout)) {
                    if (!stopped.getAsBoolean()) {
                        report.accept(new Ending.Fatal("watchdog: the network event loop did not answer for "
                                + timeout.toSeconds() + " s (stuck in a task, or in a loop that never yields)", null));
                    }
                    return;
                }
                try {
                    Thread.sleep(PERIOD);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }
}
