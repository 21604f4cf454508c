package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 1000).boxed().toList();

    @Test
    void resultsKeepTheOrderOfTheItemsNullsIncluded() throws SiteException {
        List<String> results = Parallel.map(ITEMS, i -> i % 7 == 0 ? null : "item " + i);
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(results.get(i)).isEqualTo(i % 7 == 0 ? null : "item " + i);
        }
    }

    @Test
    void theWorkIsSharedWithAnotherThreadWhereThereIsOne() throws SiteException {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Parallel.map(ITEMS, i -> {
            threads.add(Thread.currentThread());
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // long enough for the helper to start
            return i;
        });
        assertThat(threads).hasSize(Math.min(2, 1 + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()));
    }

    @Test
    void theEarliestItemsFailureIsReportedWhateverTheTiming() {
        assertThatThrownBy(() -> Parallel.map(ITEMS, i -> {
            if (i == 900 || i == 300 || i == 600) {
                throw new SiteException(Path.of("post-" + i + ".md"), 1, "bad");
            }
            return i;
        })).isInstanceOf(SiteException.class).hasMessageContaining("post-300.md");
    }

    @Test
    void anUncheckedFailureReachesTheCaller() {
        assertThatThrownBy(() -> Parallel.map(ITEMS, i -> {
            if (i == 500) {
                throw new IllegalStateException("item 500");
            }
            return i;
        })).isInstanceOf(IllegalStateException.class).hasMessage("item 500");
    }

    @Test
    void startedWorkGoesOnWhileTheCallerDoesSomethingElseAndJoinGivesEveryResult() throws SiteException {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        var done = new java.util.concurrent.atomic.AtomicInteger();
        Parallel.Running<Integer> running = Parallel.start(ITEMS, i -> {
            threads.add(Thread.currentThread());
            done.incrementAndGet();
            return i * 2;
        });
        if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() > 1) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (done.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(done.get()).as("items done by the pool before the caller joins").isPositive();
            assertThat(threads).doesNotContain(Thread.currentThread());
        }
        List<Integer> results = running.join();
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(results.get(i)).isEqualTo(i * 2);
        }
    }

    @Test
    void cancelledWorkStopsAfterTheBatchesUnderWay() throws Exception {
        var done = new java.util.concurrent.atomic.AtomicInteger();
        var release = new java.util.concurrent.CountDownLatch(1);
        Parallel.Running<Integer> running = Parallel.start(ITEMS, i -> {
            done.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return i;
        });
        running.cancel();
        release.countDown();
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.get()).isLessThanOrEqualTo(Parallel.BATCH * java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
    }

    @Test
    void anEmptyListIsAnEmptyList() throws SiteException {
        assertThat(Parallel.map(List.<Integer>of(), i -> i)).isEmpty();
    }
}
