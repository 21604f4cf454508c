package morgana.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the tests expect of examples/blog, read from its files independently of the site generator. */
public final class ExampleBlog {

    /** A post as its file says: {@code aliases} are old addresses that redirect to {@link #path()}. */
    public record Post(String slug, String title, boolean draft, List<String> aliases) {
        public String path() {
            return "/posts/" + slug + "/";
        }
    }

    private static final Pattern TITLE = Pattern.compile("(?m)^title:\\s*[\"']?(.*?)[\"']?\\s*$");
    private static final Pattern DRAFT = Pattern.compile("(?m)^draft:\\s*true\\s*$");
    private static final Pattern ALIASES = Pattern.compile("(?m)^aliases:\\s*\\[(.*)]\\s*$");

    public static Path root() {
        return Path.of(System.getProperty("morgana.root", ".")).toAbsolutePath().normalize();
    }

    public static Path site() {
        return root().resolve("examples/blog");
    }

    public static String siteTitle() {
        Matcher m = TITLE.matcher(read(site().resolve("morgana.yaml")));
        if (!m.find()) {
            throw new AssertionError("examples/blog/morgana.yaml has no title");
        }
        return m.group(1);
    }

    public static List<Post> publishedPosts() {
        try (Stream<Path> files = Files.list(site().resolve("posts"))) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().map(ExampleBlog::post)
                    .filter(p -> !p.draft()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Post post(Path file) {
        String text = read(file);
        String frontMatter = text.substring(0, text.indexOf("\n---", 3));
        Matcher title = TITLE.matcher(frontMatter);
        if (!title.find()) {
            throw new AssertionError(file + " has no title");
        }
        String name = file.getFileName().toString().replaceFirst("\\.md$", "").replaceFirst("^\\d{4}-\\d{2}-\\d{2}-", "");
        Matcher aliases = ALIASES.matcher(frontMatter);
        List<String> oldPaths = aliases.find()
                ? Arrays.stream(aliases.group(1).split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList()
                : List.of();
        return new Post(name, title.group(1), DRAFT.matcher(frontMatter).find(), oldPaths);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
