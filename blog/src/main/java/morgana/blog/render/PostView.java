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
    /**
     * The English month names those patterns print, for {@link #human} and {@link #shortDate}: a formatter looks them
     * up in the locale data for each date, and loads that data first (a view is made for every post).
     */
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};

    /** A link to a tag's or category's page. */
    public record TermLink(String name, String url) {}

    /** A link to another post (newer/older navigation). */
    public record PostLink(String title, String url) {}

    public static PostView of(RenderedPost rendered) {
        Post post = rendered.post();
        String updatedIso = post.updated().map(Object::toString).orElse("");
        String updatedHuman = post.updated()
                .map(i -> human(i.atZone(post.postDate().local().getZone()).toLocalDate())).orElse("");
        return new PostView(post.title(), post.urlPath(), post.date().toString(),
                human(post.date()), shortDate(post.date()), updatedIso, updatedHuman, rendered.readingMinutes(),
                rendered.rendered().words(), new SafeString(rendered.summary().markup()),
                new SafeString(rendered.rendered().html()), links(Taxonomy.TAGS, post.tags()),
                links(Taxonomy.CATEGORIES, post.categories()), rendered.rendered().toc(), post.params(), null, null);
    }

    /** {@code 14 March 2026}: "d MMMM uuuu" in English. */
    static String human(LocalDate date) {
        int year = date.getYear();
        if (year < 1 || year > 9999) {
            return HUMAN.format(date); // signs and widths the pattern has rules for
        }
        String digits = Integer.toString(year);
        return date.getDayOfMonth() + " " + MONTHS[date.getMonthValue() - 1] + " " + "000".substring(digits.length() - 1) + digits;
    }

    /** {@code 14 Mar}: "d MMM" in English. */
    static String shortDate(LocalDate date) {
        return date.getDayOfMonth() + " " + MONTHS[date.getMonthValue() - 1].substring(0, 3);
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
