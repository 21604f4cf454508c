package morgana.blog.site;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a post file into front matter and Markdown body, and validates the front matter. YAML between
 * {@code ---} lines (Morgana, Jekyll, Hugo) or TOML between {@code +++} lines (Hugo):
 * <pre>
 * ---
 * title: The Minnesota goodbye       # required (Jekyll sites: taken from the file name when absent)
 * date: 2026-03-14 09:30 +0100       # required (Jekyll sites: from the file name); see PostDate for forms
 * updated: 2026-03-20                # optional: shown and used as the feed's &lt;updated&gt;
 * summary: A server that never sent FIN
 * tags: [tcp, http]                  # a list, or Jekyll's space-separated string
 * categories: [networking]
 * draft: false                       # Jekyll's published: false means the same
 * slug: minnesota-goodbye            # overrides the slug taken from the file name
 * permalink: /2026/goodbye/          # overrides the site's pattern
 * layout: wide                       # renders with layouts/wide.html instead of post.html
 * aliases: [/2013/09/goodbye.html]   # old addresses that redirect (301) here
 * ---
 * </pre>
 * Unknown keys are kept in {@link Post#params()} for templates.
 */
public final class PostParser {

    private static final Pattern DATE_PREFIX = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})-");
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern MARKDOWN_EXTENSION = Pattern.compile("\\.(md|markdown|mdown|mkd)");
    private static final Pattern BUNDLE_INDEX = Pattern.compile("index\\.(md|markdown)");
    /** An absolute path of plain segments: letters, digits and {@code - _ . ~}, no dot segments, no query. */
    private static final Pattern ALIAS = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+/?|/");
    private static final String EXAMPLE = "---\\ntitle: ...\\ndate: 2026-03-14\\n---";
    /** Front matter keys that {@link Post} models (with their Jekyll and Hugo synonyms); the rest go to params. */
    private static final Set<String> MODELLED = Set.of("title", "date", "updated", "lastmod", "draft", "published",
            "tags", "categories", "category", "summary", "slug", "permalink", "url", "layout", "aliases",
            "redirect_from");

    private PostParser() {}

    /** The slug a post file gets from its name: {@code 2026-03-14-some-slug.md} and {@code some-slug.md} give {@code some-slug}. */
    public static String slugFromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 && MARKDOWN_EXTENSION.matcher(fileName).region(dot, fileName.length()).matches()
                ? fileName.substring(0, dot) : fileName;
        return DATE_PREFIX.matcher(name).replaceFirst("");
    }

    /** The slug of a post file; a Hugo page bundle ({@code posts/hello/index.md}) takes its folder's name. */
    public static String slugFromFile(Path file) {
        String name = file.getFileName().toString();
        if (BUNDLE_INDEX.matcher(name).matches() && file.getParent() != null && file.getParent().getFileName() != null) {
            return slugFromFileName(file.getParent().getFileName().toString());
        }
        return slugFromFileName(name);
    }

    /** Parses the text of a post file with the default settings (UTC, {@code /posts/:slug/}). */
    public static Post parse(Path file, String text) throws SiteException {
        return parse(file, text, PostSettings.DEFAULTS);
    }

    /** Parses the text of a post file; {@code file} names it in errors and gives the slug. */
    public static Post parse(Path file, String text, PostSettings settings) throws SiteException {
        // Only the lines up to the closing fence are looked at; the front matter and the body are cut out whole.
        String normalized = text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
        int firstEnd = lineEnd(normalized, 0);
        String first = normalized.substring(0, firstEnd);
        String fence = (first.startsWith("\uFEFF") ? first.substring(1) : first).strip();
        if (!fence.equals("---") && !fence.equals("+++")) {
            throw new SiteException(file, 1, "a post starts with front matter between --- lines, at least \""
                    + EXAMPLE + "\"");
        }
        int close = -1;
        int closeStart = firstEnd + 1;
        int closeEnd = firstEnd;
        for (int i = 1; closeEnd < normalized.length(); i++) {
            closeStart = closeEnd + 1;
            closeEnd = lineEnd(normalized, closeStart);
            String line = normalized.substring(closeStart, closeEnd).stripTrailing();
            if (line.equals(fence) || (fence.equals("---") && line.equals("..."))) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new SiteException(file, 1, "the front matter opened here is never closed: add a line \"" + fence
                    + "\" after it");
        }
        String frontMatter = normalized.substring(firstEnd + 1, Math.max(firstEnd + 1, closeStart - 1));
        String body = closeEnd < normalized.length() ? normalized.substring(closeEnd + 1) : "";
        int bodyFirstLine = close + 2;

        MarkedYaml yaml = fence.equals("+++")
                ? MarkedToml.parse(file, 2, frontMatter)
                : MarkedYaml.parse(file, 2, frontMatter);
        Map<String, Object> fields = yaml.mapping("front matter (title, date, ...)");
        if (fields.isEmpty() && !settings.dateFromFileName()) {
            throw new SiteException(file, 1, "the front matter is empty; it needs at least title and date");
        }
        String fileName = file.getFileName().toString();
        String fileSlug = slugFromFile(file);
        String title = settings.dateFromFileName() && !fields.containsKey("title")
                ? titleFromSlug(fileSlug)
                : yaml.requiredString(fields, "title", "\"A post\"");
        PostDate date = date(yaml, fields, settings, fileName);
        Optional<Instant> updated = optionalDate(yaml, fields, fields.containsKey("updated") ? "updated" : "lastmod", settings)
                .map(PostDate::instant);
        Optional<String> summary = yaml.optionalString(fields, "summary").map(String::strip).filter(s -> !s.isEmpty());
        List<String> tags = words(yaml, fields, "tags");
        List<String> categories = words(yaml, fields, fields.containsKey("category") ? "category" : "categories");
        List<String> aliases = aliases(yaml, fields, fields.containsKey("redirect_from") ? "redirect_from" : "aliases");
        boolean draft = bool(yaml, fields, "draft", false) || !bool(yaml, fields, "published", true);
        String slug = slug(yaml, fields, file, fileSlug);
        Optional<String> layout = yaml.optionalString(fields, "layout").map(String::strip).filter(s -> !s.isEmpty());
        String urlPath = urlPath(yaml, fields, settings, date, slug, fileSlug, categories);

        var params = new LinkedHashMap<String, Object>();
        fields.forEach((key, value) -> {
            if (!MODELLED.contains(key)) {
                params.put(key, value);
            }
        });
        return new Post(file, slug, title, date, updated, summary, tags, categories, aliases, draft, layout, urlPath,
                params, body, bodyFirstLine);
    }

    /** Where the line starting at {@code start} ends: its {@code \\n}, or the end of the text. */
    private static int lineEnd(String text, int start) {
        int newline = text.indexOf('\n', start);
        return newline < 0 ? text.length() : newline;
    }

    private static PostDate date(MarkedYaml yaml, Map<String, Object> fields, PostSettings settings, String fileName)
            throws SiteException {
        if (fields.get("date") == null && settings.dateFromFileName()) {
            Matcher prefix = DATE_PREFIX.matcher(fileName);
            if (prefix.find()) {
                return PostDate.parse(prefix.group(1), settings.zone()).orElseThrow(() ->
                        new SiteException(yaml.file(), 1, "the file name's date " + prefix.group(1) + " is not a calendar date"));
            }
        }
        if (fields.get("date") == null && settings.standalone()) {
            return PostDate.of(java.time.LocalDate.EPOCH.atStartOfDay(settings.zone())); // a page has no date
        }
        if (fields.get("date") == null) {
            int line = fields.containsKey("date") ? yaml.lineOf("date") : 2;
            throw new SiteException(yaml.file(), line, "date is required (e.g. date: 2026-03-14)");
        }
        return optionalDate(yaml, fields, "date", settings).orElseThrow();
    }

    private static Optional<PostDate> optionalDate(MarkedYaml yaml, Map<String, Object> fields, String key,
                                                   PostSettings settings) throws SiteException {
        Object value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw yaml.error(key, key + " must be " + PostDate.EXPECTED + ", found " + MarkedYaml.describe(value));
        }
        Optional<PostDate> date = PostDate.parse(text, settings.zone());
        if (date.isEmpty()) {
            throw yaml.error(key, key + " must be " + PostDate.EXPECTED + ", got \"" + text.strip() + "\"");
        }
        return date;
    }

    /** A list of strings, or (Jekyll) one string of space-separated words. */
    private static List<String> words(MarkedYaml yaml, Map<String, Object> fields, String key) throws SiteException {
        Object value = fields.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s.strip().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList();
        }
        if (!(value instanceof List<?> list)) {
            throw yaml.error(key, key + " must be a list, e.g. " + key + ": [tcp, http], found " + MarkedYaml.describe(value));
        }
        var words = new ArrayList<String>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item instanceof Number || item instanceof Boolean) {
                item = item.toString();
            }
            if (!(item instanceof String word) || word.isBlank()) {
                throw yaml.error(key + "." + i, "each of " + key + " must be a non-empty string, found "
                        + MarkedYaml.describe(list.get(i)));
            }
            words.add(word.strip());
        }
        return words;
    }

    /** Old addresses of the post (Hugo's {@code aliases}, Jekyll's {@code redirect_from}). */
    private static List<String> aliases(MarkedYaml yaml, Map<String, Object> fields, String key) throws SiteException {
        Object value = fields.get(key);
        if (value == null) {
            return List.of();
        }
        List<?> list;
        if (value instanceof String s) {
            list = List.of(s);
        } else if (value instanceof List<?> l) {
            list = l;
        } else {
            throw yaml.error(key, key + " must be a list of paths, e.g. aliases: [/2013/09/old-post.html],"
                    + " found " + MarkedYaml.describe(value));
        }
        var aliases = new ArrayList<String>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String alias) || !ALIAS.matcher(alias.strip()).matches()
                    || alias.strip().equals("/")) {
                throw yaml.error(key + "." + i, "each alias must be an absolute path of letters, digits and - _ . ~"
                        + " such as /2013/09/old-post.html, without .. or a query, found " + MarkedYaml.describe(list.get(i)));
            }
            aliases.add(alias.strip());
        }
        return aliases;
    }

    private static boolean bool(MarkedYaml yaml, Map<String, Object> fields, String key, boolean absent)
            throws SiteException {
        Object value = fields.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean b)) {
            throw yaml.error(key, key + " must be true or false, found " + MarkedYaml.describe(value));
        }
        return b;
    }

    private static String slug(MarkedYaml yaml, Map<String, Object> fields, Path file, String fromName)
            throws SiteException {
        Optional<String> explicit = yaml.optionalString(fields, "slug").map(String::strip);
        if (explicit.isPresent()) {
            if (!SLUG.matcher(explicit.get()).matches()) {
                throw yaml.error("slug", "slug must be letters, digits, '-' and '_' (it becomes part of the address), got \""
                        + explicit.get() + "\"");
            }
            return explicit.get();
        }
        if (!SLUG.matcher(fromName).matches()) {
            throw new SiteException(file, 1, "the file name gives the slug \"" + fromName + "\", which is not"
                    + " letters, digits, '-' and '_': rename the file or set slug: in the front matter");
        }
        return fromName;
    }

    private static String urlPath(MarkedYaml yaml, Map<String, Object> fields, PostSettings settings, PostDate date,
                                  String slug, String fileSlug, List<String> categories) throws SiteException {
        String key = fields.containsKey("permalink") ? "permalink" : "url";
        Optional<String> own = yaml.optionalString(fields, key).map(String::strip);
        Permalink pattern = own.map(Permalink::new).orElse(settings.permalink());
        String path = pattern.expand(date, slug, fileSlug, categories, settings.section());
        if (Permalink.isSafePath(path) && !path.equals("/")) {
            return path;
        }
        if (own.isPresent()) {
            throw yaml.error(key, key + " must be an absolute path of letters, digits and - _ . ~ such as"
                    + " /2026/03/hello/, got \"" + own.get() + "\"");
        }
        throw new SiteException(yaml.file(), 1, "the site's permalink " + settings.permalink().pattern()
                + " gives \"" + path + "\" for this post, which is not a plain path: set slug: or permalink:");
    }


    private static String titleFromSlug(String slug) {
        String words = slug.replace('-', ' ').replace('_', ' ').strip();
        return words.isEmpty() ? slug : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
