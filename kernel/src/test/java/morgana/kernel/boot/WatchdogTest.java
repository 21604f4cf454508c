package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import morgana.kernel.loop.StackRunner;
import morgana.netstack.iface.StackConfig;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    @Test
    void aLoopThatDoesNotAnswerIsReportedFatalNamingTheTimeout() throws Exception {
        CompletableFuture<Ending> ending = new CompletableFuture<>();

        Thread dog = Watchdog.start(new HungLoop(), Duration.ofSeconds(30), ending::isDone, ending::complete);

        assertThat(ending.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Ending.Fatal.class, fatal -> assertThat(
                fatal.reason()).startsWith("watchdog: the network event loop did not answer for 30 s"));
        dog.join(Duration.ofSeconds(10));
        assertThat(dog.isAlive()).isFalse();
    }

    /** A loop that never gets to the watchdog's task. */
    private static final class HungLoop implements Serving {
        @Override
        public Optional<StackConfig> awaitAddress(Duration timeout) {
            return Optional.empty();
        }

        @Override
        public boolean answers(Duration timeout) {
            return false;
        }

        @Override
        public Optional<String> counters(Duration timeout) {
            return Optional.empty();
        }

        @Override
        public StackRunner.Drain drain(Duration timeout) {
            return new StackRunner.Drain(0, 0, 0);
        }

        @Override
        public void execute(Runnable task) {
        }

        @Override
        public void onTermination(Runnable action) {
        }

        @Override
        public void stop() {
        }
    }
}
