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
    private static final Pattern MARKS = Pattern.compile("\\p{M}");
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
                case "year" -> digits(local.getYear(), 4);
                case "short_year" -> digits(local.getYear() % 100, 2);
                case "month" -> digits(local.getMonthValue(), 2);
                case "i_month" -> Integer.toString(local.getMonthValue());
                case "day" -> digits(local.getDayOfMonth(), 2);
                case "i_day" -> Integer.toString(local.getDayOfMonth());
                case "y_day" -> digits(local.getDayOfYear(), 3);
                case "hour" -> digits(local.getHour(), 2);
                case "minute" -> digits(local.getMinute(), 2);
                case "second" -> digits(local.getSecond(), 2);
                case "title", "slug" -> slug;
                case "filename" -> fileSlug;
                case "section" -> section;
                case "categories" -> String.join("/", categories.stream().map(Permalink::slugify).toList());
                default -> m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        var path = new StringBuilder(out.length() + 1).append('/'); // runs of slashes as one, and one first
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c != '/' || path.charAt(path.length() - 1) != '/') {
                path.append(c);
            }
        }
        return path.toString();
    }

    /** {@code value} in decimal, zero-padded to {@code width} digits ({@code String.format("%0<width>d")}). */
    private static String digits(int value, int width) {
        String plain = Integer.toString(value);
        return plain.length() >= width || value < 0 ? plain : "0".repeat(width - plain.length()) + plain;
    }

    /** Whether an expanded path can be served as it is. */
    public static boolean isSafePath(String path) {
        return SAFE_PATH.matcher(path).matches() && !path.contains("/./") && !path.contains("/../");
    }

    /** Lower case, accents removed, runs of anything but letters and digits turned into one {@code -}. */
    public static String slugify(String text) {
        // ASCII has no marks to take off, and decomposes to itself (tags and titles are slugified for every post)
        String ascii = isAscii(text) ? text : MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
        String lower = ascii.toLowerCase(Locale.ROOT);
        // a loop rather than the regexes [^a-z0-9_~-]+ -> "-" and then ^-+|-+$ -> "": the same slug, no matchers
        var slug = new StringBuilder(lower.length());
        boolean unsafeRun = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '~' || c == '-') {
                if (unsafeRun && !slug.isEmpty()) {
                    slug.append('-');
                }
                unsafeRun = false;
                if (c != '-' || !slug.isEmpty()) {
                    slug.append(c);
                }
            } else {
                unsafeRun = true;
            }
        }
        int end = slug.length();
        while (end > 0 && slug.charAt(end - 1) == '-') {
            end--;
        }
        return end == 0 ? "untitled" : slug.substring(0, end);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
