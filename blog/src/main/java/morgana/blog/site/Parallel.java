package morgana.blog.site;

import java.util.List;

/**
 * Work spread over the cores (the common fork/join pool), with checked {@link SiteException}s: when several
 * items fail, the one earliest in the list is reported, so the error a user sees does not depend on timing.
 */
final class Parallel {

    @FunctionalInterface
    interface Step<T, R> {
        R apply(T item) throws SiteException;
    }

    private record Outcome<R>(R value, SiteException failure) {}

    private Parallel() {}

    static <T, R> List<R> map(List<T> items, Step<T, R> step) throws SiteException {
        List<Outcome<R>> outcomes = items.parallelStream().map(item -> {
            try {
                return new Outcome<R>(step.apply(item), null);
            } catch (SiteException e) {
                return new Outcome<R>(null, e);
            }
        }).toList();
        for (Outcome<R> outcome : outcomes) {
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
        }
        return outcomes.stream().map(Outcome::value).toList();
    }


}
