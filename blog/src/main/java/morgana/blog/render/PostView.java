package morgana.blog.render;

import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import morgana.blog.site.Post;

/**
 * What templates see of a post ({@code post.title}, {@code post.content}, {@code post.params.x} ...). Text is
 * escaped by the engine; {@code content} and {@code summary} are rendered HTML, inserted as they are.
 */
public record PostView(String title, String url, String isoDate, String humanDate, String shortDate,
                       String updatedIso, String updatedHuman, int readingMinutes, int words, SafeString summary,
                       SafeString content, List<TermLink> tags, List<TermLink> categories,
                       List<MarkdownRenderer.TocEntry> toc, Map<String, Object> params, PostLink newer,
                       PostLink older) {

    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    /** A link to a tag's or category's page. */
    public record TermLink(String name, String url) {}

    /** A link to another post (newer/older navigation). */
    public record PostLink(String title, String url) {}

    public static PostView of(RenderedPost rendered) {
        Post post = rendered.post();
        String updatedIso = post.updated().map(Object::toString).orElse("");
        String updatedHuman = post.updated()
                .map(i -> HUMAN.format(i.atZone(post.postDate().local().getZone()).toLocalDate())).orElse("");
        return new PostView(post.title(), post.urlPath(), post.date().toString(),
                human(post.date()), SHORT.format(post.date()), updatedIso, updatedHuman, rendered.readingMinutes(),
                rendered.rendered().words(), new SafeString(rendered.summary().markup()),
                new SafeString(rendered.rendered().html()), links(Taxonomy.TAGS, post.tags()),
                links(Taxonomy.CATEGORIES, post.categories()), rendered.rendered().toc(), post.params(), null, null);
    }

    static String human(LocalDate date) {
        return HUMAN.format(date);
    }

    public PostView withNeighbours(PostView newer, PostView older) {
        return new PostView(title, url, isoDate, humanDate, shortDate, updatedIso, updatedHuman, readingMinutes, words,
                summary, content, tags, categories, toc, params,
                newer == null ? null : new PostLink(newer.title, newer.url),
                older == null ? null : new PostLink(older.title, older.url));
    }

    private static List<TermLink> links(Taxonomy taxonomy, List<String> names) {
        return names.stream().map(name -> new TermLink(name, taxonomy.urlOf(name))).toList();
    }
}
