package morgana.blog.site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;

/** What {@code morgana new} writes: a working site with one post and a {@code morgana.yaml} that explains itself. */
public final class SiteSkeleton {

    private static final String RESOURCES = "/morgana/blog/skeleton/";
    private static final List<String> FILES = List.of("morgana.yaml", "posts/hello-world.md", "static/images/hello.svg");

    private SiteSkeleton() {}

    /**
     * Creates the site in {@code dir}, which must not exist or be empty.
     *
     * @throws SiteException when {@code dir} already holds files (nothing is overwritten)
     */
    public static List<Path> create(Path dir, String title, String author, LocalDate today) throws SiteException, IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> listing = Files.list(dir)) {
                if (listing.findAny().isPresent()) {
                    throw new SiteException(dir, "is not empty; `morgana new` only writes into a new or empty folder");
                }
            }
        } else if (Files.exists(dir)) {
            throw new SiteException(dir, "exists and is not a folder");
        }
        var written = new java.util.ArrayList<Path>();
        for (String name : FILES) {
            String text;
            try (InputStream in = SiteSkeleton.class.getResourceAsStream(RESOURCES + name)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            text = text.replace("{{TITLE}}", yamlText(title)).replace("{{AUTHOR}}", yamlText(author))
                    .replace("{{DATE}}", today.toString());
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            written.add(file);
        }
        return written;
    }

    /** Safe inside a double-quoted YAML scalar. */
    private static String yamlText(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\p{Cntrl}]", " ");
    }
}
