package morgana.blog.site;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a post is served, from a pattern with Jekyll's and Hugo's placeholders: {@code :year :month :day
 * :i_month :i_day :short_year :hour :minute :second :title :slug :filename :categories :section}. Jekyll's
 * named styles ({@code date}, {@code pretty}, {@code ordinal}, {@code none}) are accepted too. A pattern
 * ending in {@code /} gives a directory page ({@code index.html}); one ending in {@code .html} a file.
 */
public record Permalink(String pattern) {

    public static final Permalink DEFAULT = new Permalink("/posts/:slug/");

    private static final Pattern PLACEHOLDER = Pattern.compile(":([a-z_]+)");
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9_~-]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");
    /** What a resulting path may hold: plain segments, no dot segments, no query. */
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?");
    private static final List<String> KNOWN = List.of("year", "month", "day", "i_month", "i_day", "short_year",
            "y_day", "hour", "minute", "second", "title", "slug", "filename", "categories", "section");

    /** A Jekyll style name or a pattern; {@code null} or blank gives {@link #DEFAULT}. */
    public static Permalink of(String styleOrPattern) {
        if (styleOrPattern == null || styleOrPattern.isBlank()) {
            return DEFAULT;
        }
        return new Permalink(switch (styleOrPattern.strip()) {
            case "date" -> "/:categories/:year/:month/:day/:title.html";
            case "pretty" -> "/:categories/:year/:month/:day/:title/";
            case "ordinal" -> "/:categories/:year/:y_day/:title.html";
            case "none" -> "/:categories/:title.html";
            default -> styleOrPattern.strip();
        });
    }

    /** The first placeholder this pattern uses that is not known, or "" when all are. */
    public String unknownPlaceholder() {
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                return ":" + m.group(1);
            }
        }
        return "";
    }

    /** The path of a post with these fields; empty segments (no categories) collapse. */
    public String expand(PostDate date, String slug, String fileSlug, List<String> categories, String section) {
        var local = date.local();
        Matcher m = PLACEHOLDER.matcher(pattern);
        var out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "year" -> String.format("%04d", local.getYear());
                case "short_year" -> String.format("%02d", local.getYear() % 100);
                case "month" -> String.format("%02d", local.getMonthValue());
                case "i_month" -> Integer.toString(local.getMonthValue());
                case "day" -> String.format("%02d", local.getDayOfMonth());
                case "i_day" -> Integer.toString(local.getDayOfMonth());
                case "y_day" -> String.format("%03d", local.getDayOfYear());
                case "hour" -> String.format("%02d", local.getHour());
                case "minute" -> String.format("%02d", local.getMinute());
                case "second" -> String.format("%02d", local.getSecond());
                case "title", "slug" -> slug;
                case "filename" -> fileSlug;
                case "section" -> section;
                case "categories" -> String.join("/", categories.stream().map(Permalink::slugify).toList());
                default -> m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String path = out.toString().replaceAll("/{2,}", "/");
        return path.startsWith("/") ? path : "/" + path;
    }

    /** Whether an expanded path can be served as it is. */
    public static boolean isSafePath(String path) {
        return SAFE_PATH.matcher(path).matches() && !path.contains("/./") && !path.contains("/../");
    }

    /** Lower case, accents removed, runs of anything but letters and digits turned into one {@code -}. */
    public static String slugify(String text) {
        // ASCII has no marks to take off, and decomposes to itself (tags and titles are slugified for every post)
        String ascii = text.chars().allMatch(c -> c < 0x80) ? text
                : MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
        String slug = UNSAFE.matcher(ascii.toLowerCase(Locale.ROOT)).replaceAll("-");
        slug = EDGE_DASHES.matcher(slug).replaceAll("");
        return slug.isEmpty() ? "untitled" : slug;
    }
}
