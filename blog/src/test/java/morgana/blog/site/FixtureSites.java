package morgana.blog.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import morgana.blog.bundle.SiteBundle;

/** The fixture sites under {@code src/test/resources/sites}, copied where a test may change them. */
public final class FixtureSites {

    private FixtureSites() {}

    public static Path copy(String name, Path into) {
        return copyTree(Path.of("src/test/resources/sites", name), into);
    }

    /** Copies the files and folders under {@code from} into {@code into}. */
    public static Path copyTree(Path from, Path into) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = into.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }

    public static String text(SiteBundle bundle, String path) {
        return new String(bundle.find(path).orElseThrow(() -> new AssertionError("no page at " + path)).body(),
                StandardCharsets.UTF_8);
    }
}
