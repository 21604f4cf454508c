package morgana.blog.site;

import java.nio.file.Path;

/** Something a build did not render as the author meant, without failing: {@code file:line: message}. */
public record BuildWarning(Path file, int line, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": warning: " + message;
    }
}
