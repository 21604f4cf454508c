package morgana.deploy.ec2;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How long to wait for something AWS does in its own time (a snapshot to complete, an instance to run, a
 * server to answer), and how often to look.
 */
public record Patience(Duration timeout, Duration interval) {

    /** Polls {@code probe} until it yields a value; past the timeout, fails naming {@code what} was awaited. */
    <T> T await(String what, Supplier<Optional<T>> probe) {
        return await(() -> what, probe);
    }

    /** As {@link #await(String, Supplier)}, with {@code what} worded when it fails, to tell what was last seen. */
    <T> T await(Supplier<String> what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new DeployException("gave up after " + timeout.toSeconds() + " s waiting for " + what.get());
            }
            sleep(interval);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while waiting", e);
        }
    }
}
