package morgana.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Inputs that found a bug, each replayed by a named regression test beside its target, in
 * {@code src/test/resources/morgana/fuzz/findings/}. While a bug is not fixed yet, its test carries
 * {@code @Tag("known-bug")}, which the build excludes (-Dfuzz.excludedGroups=none runs them); none is open now.
 */
public final class Findings {

    private Findings() {
    }

    public static byte[] input(String name) {
        try (InputStream in = Findings.class.getResourceAsStream("/morgana/fuzz/findings/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no finding " + name + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
