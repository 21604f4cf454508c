package morgana.blog.site;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Work spread over the cores (the calling thread and the common fork/join pool's), with checked
 * {@link SiteException}s: when several items fail, the one earliest in the list is reported, so the error a user
 * sees does not depend on timing.
 *
 * <p>Each thread takes the next {@value #BATCH} items until none are left. A parallel stream splits a list into
 * four parts per worker of the common pool, which on two cores (one worker) is four parts of 2 500 posts: when one
 * thread was done with its parts, the other could still have most of a part to go, a tenth of a second of a build
 * with one core idle, and the pages were worse (the heavy listing pages all sit at the end of the list).
 */
final class Parallel {

    /** Items a thread takes at a time: a few milliseconds of work, for little contention and an even end. */
    static final int BATCH = 16;

    @FunctionalInterface
    interface Step<T, R> {
        R apply(T item) throws SiteException;
    }

    private Parallel() {}

    static <T, R> List<R> map(List<T> items, Step<T, R> step) throws SiteException {
        return start(items, step).join();
    }

    /**
     * Starts {@code step} on {@code items} on the pool's threads and returns at once, so that the caller can do
     * other work meanwhile; {@link Running#join} then takes the calling thread into the work that is left.
     */
    static <T, R> Running<R> start(List<T> items, Step<T, R> step) {
        var running = new Running<>(items, step);
        int helpers = Math.min(ForkJoinPool.getCommonPoolParallelism(), (items.size() - 1) / BATCH);
        for (int h = 0; h < helpers; h++) {
            running.helpers.add(ForkJoinPool.commonPool().submit(running::work));
        }
        return running;
    }

    /** Work started by {@link #start}. */
    static final class Running<R> {
        private final List<?> items;
        private final Step<Object, R> step;
        private final int size;
        private final Object[] results;
        private final SiteException[] failures;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<Throwable> unchecked = new AtomicReference<>(); // the first, rethrown as it was
        private final List<ForkJoinTask<?>> helpers = new ArrayList<>();

        @SuppressWarnings("unchecked")
        private <T> Running(List<T> items, Step<T, R> step) {
            this.items = items;
            this.step = (Step<Object, R>) step;
            this.size = items.size();
            this.results = new Object[size];
            this.failures = new SiteException[size];
        }

        private void work() {
            for (int first = next.getAndAdd(BATCH); first < size; first = next.getAndAdd(BATCH)) {
                for (int i = first; i < Math.min(size, first + BATCH); i++) {
                    try {
                        results[i] = step.apply(items.get(i));
                    } catch (SiteException e) {
                        failures[i] = e;
                    } catch (RuntimeException | Error e) {
                        unchecked.compareAndSet(null, e);
                        next.set(size); // the others stop after their batch
                        return;
                    }
                }
            }
        }

        /** Works on what is left, waits for the pool's threads and returns the results in the items' order. */
        List<R> join() throws SiteException {
            work();
            for (ForkJoinTask<?> task : helpers) {
                task.join();
            }
            if (unchecked.get() instanceof RuntimeException e) {
                throw e;
            }
            if (unchecked.get() instanceof Error e) {
                throw e;
            }
            for (SiteException failure : failures) {
                if (failure != null) {
                    throw failure;
                }
            }
            @SuppressWarnings("unchecked")
            List<R> list = (List<R>) Arrays.asList(results);
            return java.util.Collections.unmodifiableList(list);
        }

        /** Stops the work after the batches being done now (the caller has failed and will not join). */
        void cancel() {
            next.set(size);
        }
    }

    /** {@link #map} for work that throws no {@link SiteException}. */
    static <T, R> List<R> mapUnchecked(List<T> items, Function<T, R> step) {
        try {
            return map(items, step::apply);
        } catch (SiteException e) {
            throw new IllegalStateException("a step without checked exceptions threw one", e);
        }
    }
}
