package morgana.blog.site;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A site that cannot be built as it is: names the file, the line when known (1-based, in the file as the
 * author sees it), and what is wrong, e.g. {@code examples/blog/morgana.yaml:3: title must be a string}.
 */
public final class SiteException extends Exception {

    private final transient Path file;
    private final int line;
    private final String problem;

    public SiteException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public SiteException(Path file, String problem) {
        this(file, 0, problem);
    }

    public SiteException(Path file, int line, String problem, Throwable cause) {
        this(file, line, problem);
        initCause(cause);
    }

    public Path file() {
        return file;
    }

    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The message without the file and line. */
    public String problem() {
        return problem;
    }
}
