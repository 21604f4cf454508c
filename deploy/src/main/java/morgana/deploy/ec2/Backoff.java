package morgana.deploy.ec2;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries a call with exponential backoff and full jitter (the AWS Architecture Blog's "Exponential Backoff
 * and Jitter"), on top of the SDK's own retries, for the many PutSnapshotBlock calls of one upload.
 */
public record Backoff(int attempts, Duration base, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(5, Duration.ofMillis(200), Duration.ofSeconds(10));

    <T> T call(String what, Supplier<T> call) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
                Patience.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1)));
            }
            try {
                return call.get();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new DeployException(what + " failed " + attempts + " times; last error: " + last.getMessage(), last);
    }
}
