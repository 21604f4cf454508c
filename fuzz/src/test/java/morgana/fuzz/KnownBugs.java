package morgana.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Inputs that still fail a target because of a bug not yet fixed in netstack or blog. They live in
 * {@code src/test/resources/morgana/fuzz/known-bugs/} rather than in a target's {@code Inputs} directory, so that
 * the regression run stays green meanwhile; the tests that replay them are tagged {@code known-bug}, which the
 * build excludes. Once the bug is fixed: drop the tag and move the input into the target's corpus.
 */
public final class KnownBugs {

    private KnownBugs() {
    }

    public static byte[] input(String name) {
        try (InputStream in = KnownBugs.class.getResourceAsStream("/morgana/fuzz/known-bugs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no known-bug input " + name + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
