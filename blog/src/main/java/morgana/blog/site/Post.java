package morgana.blog.site;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One post as its author wrote it: front matter and the Markdown body, not yet rendered.
 *
 * @param source        the file it came from, for error messages
 * @param slug          the post's short name ({@code :slug}/{@code :title} in permalinks)
 * @param title         front matter {@code title}
 * @param postDate      front matter {@code date}, with the zone it was written in
 * @param updated       front matter {@code updated} (or Hugo's {@code lastmod})
 * @param summary       front matter {@code summary} (or Jekyll's {@code excerpt}), when given
 * @param tags          front matter {@code tags}, in the author's order
 * @param categories    front matter {@code categories} (or Jekyll's {@code category})
 * @param aliases       old addresses that redirect here
 * @param draft         front matter {@code draft} (or Jekyll's {@code published: false})
 * @param layout        front matter {@code layout}: the template to render it with instead of {@code post.html}
 * @param urlPath       where it is served: the permalink, e.g. {@code /posts/hello/} or {@code /2013/09/14/x.html}
 * @param params        every front matter key this record does not model, for templates ({@code post.params.x})
 * @param markdown      the body, after the front matter ("" in a built site's posts: see {@link #withoutMarkdown()})
 * @param bodyFirstLine the file line (1-based) on which {@code markdown} starts
 */
public record Post(Path source, String slug, String title, PostDate postDate, Optional<Instant> updated,
                   Optional<String> summary, List<String> tags, List<String> categories, List<String> aliases,
                   boolean draft, Optional<String> layout, String urlPath, Map<String, Object> params,
                   String markdown, int bodyFirstLine) {

    /** Newest first; posts published at the same instant are ordered by slug, so the order is stable. */
    public static final Comparator<Post> NEWEST_FIRST = (a, b) -> {
        int newer = b.published().compareTo(a.published());
        return newer != 0 ? newer : a.urlPath().compareTo(b.urlPath());
    };

    public Post {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(postDate, "postDate");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(summary, "summary");
        tags = List.copyOf(tags);
        categories = List.copyOf(categories);
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(urlPath, "urlPath");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params)); // YAML values may be null
        Objects.requireNonNull(markdown, "markdown");
    }

    /**
     * This post without its Markdown body, which only rendering reads: what a build keeps once the post is
     * rendered (the Markdown of 10 000 posts is some 24 MB that would otherwise stay on the heap to the end).
     */
    public Post withoutMarkdown() {
        return new Post(source, slug, title, postDate, updated, summary, tags, categories, aliases, draft, layout,
                urlPath, params, "", bodyFirstLine);
    }

    /** The calendar date the author wrote, in the zone of the date (shown on pages). */
    public LocalDate date() {
        return postDate.date();
    }

    /** The instant for ordering, feeds and the future-post rule. */
    public Instant published() {
        return postDate.instant();
    }

    /** The bundle path of the page: {@code index.html} inside a directory permalink. */
    public String pagePath() {
        return urlPath.endsWith("/") ? urlPath + "index.html" : urlPath;
    }
}
