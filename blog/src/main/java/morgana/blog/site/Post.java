package morgana.blog.site;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One post as its author wrote it: front matter and the Markdown body, not yet rendered.
 *
 * @param source        the file it came from, for error messages
 * @param slug          the last path segment: the post is served at {@code /posts/<slug>/}
 * @param title         front matter {@code title}
 * @param date          the calendar date the author wrote (shown on pages)
 * @param published     the instant for ordering and feeds: {@code date} at 00:00 UTC when no time was given
 * @param summary       front matter {@code summary}, when given
 * @param tags          front matter {@code tags}, in the author's order
 * @param draft         front matter {@code draft}; drafts are not published
 * @param markdown      the body, after the front matter
 * @param bodyFirstLine the file line (1-based) on which {@code markdown} starts
 */
public record Post(Path source, String slug, String title, LocalDate date, Instant published,
                   Optional<String> summary, List<String> tags, List<String> aliases, boolean draft, String markdown,
                   int bodyFirstLine) {

    /** Newest first; posts published at the same instant are ordered by slug, so the order is stable. */
    public static final Comparator<Post> NEWEST_FIRST =
            Comparator.comparing(Post::published).reversed().thenComparing(Post::slug);

    public Post {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(published, "published");
        Objects.requireNonNull(summary, "summary");
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(markdown, "markdown");
    }

    /** The path the post is served at, e.g. {@code /posts/hello/}. */
    public String urlPath() {
        return "/posts/" + slug + "/";
    }
}
