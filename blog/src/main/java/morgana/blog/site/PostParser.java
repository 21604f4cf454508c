package morgana.blog.site;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.nio.file.Path;

/**
 * Splits a post file into YAML front matter and Markdown body, and validates the front matter:
 * <pre>
 * ---
 * title: The Minnesota goodbye       # required
 * date: 2026-03-14                   # required: YYYY-MM-DD or an ISO date-time
 * summary: A server that never sent FIN
 * tags: [tcp, http]
 * draft: false
 * slug: minnesota-goodbye            # optional: overrides the slug taken from the file name
 * aliases: [/2013/09/goodbye.html]   # optional: old addresses that redirect (301) here
 * ---
 * Markdown...
 * </pre>
 * Unknown keys are allowed and ignored, so that content can carry metadata for later versions.
 */
public final class PostParser {

    private static final Pattern DATE_PREFIX = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}-");
    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    /** An absolute path of plain segments: letters, digits and {@code - _ . ~}, no dot segments, no query. */
    private static final Pattern ALIAS = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+/?|/");
    private static final String EXAMPLE = "---\\ntitle: ...\\ndate: 2026-03-14\\n---";

    private PostParser() {}

    /** The slug a post file gets from its name: {@code 2026-03-14-some-slug.md} and {@code some-slug.md} give {@code some-slug}. */
    public static String slugFromFileName(String fileName) {
        String name = fileName.endsWith(".md") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return DATE_PREFIX.matcher(name).replaceFirst("");
    }

    /** Parses the text of a post file; {@code file} names it in errors and gives the slug. */
    public static Post parse(Path file, String text) throws SiteException {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        if (lines.length > 0 && lines[0].startsWith("\uFEFF")) {
            lines[0] = lines[0].substring(1);
        }
        if (lines.length == 0 || !lines[0].strip().equals("---")) {
            throw new SiteException(file, 1, "a post starts with front matter between --- lines, at least \""
                    + EXAMPLE + "\"");
        }
        int close = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (line.equals("---") || line.equals("...")) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new SiteException(file, 1, "the front matter opened here is never closed: add a line \"---\" after it");
        }
        String frontMatter = String.join("\n", List.of(lines).subList(1, close));
        String body = String.join("\n", List.of(lines).subList(close + 1, lines.length));
        int bodyFirstLine = close + 2;

        MarkedYaml yaml = MarkedYaml.parse(file, 2, frontMatter);
        Map<String, Object> fields = yaml.mapping("front matter (title, date, ...)");
        if (fields.isEmpty()) {
            throw new SiteException(file, 1, "the front matter is empty; it needs at least title and date");
        }
        String title = yaml.requiredString(fields, "title", "\"A post\"");
        String dateText = requiredDate(yaml, fields);
        LocalDate date;
        Instant published;
        try {
            if (dateText.length() == 10) {
                date = LocalDate.parse(dateText);
                published = date.atStartOfDay(ZoneOffset.UTC).toInstant();
            } else if (hasOffset(dateText)) {
                OffsetDateTime dateTime = OffsetDateTime.parse(dateText);
                date = dateTime.toLocalDate();
                published = dateTime.toInstant();
            } else {
                LocalDateTime dateTime = LocalDateTime.parse(dateText);
                date = dateTime.toLocalDate();
                published = dateTime.toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw yaml.error("date", "date must be YYYY-MM-DD or an ISO date-time such as 2026-03-14T09:30:00Z, got \""
                    + dateText + "\"");
        }
        Optional<String> summary = yaml.optionalString(fields, "summary").map(String::strip).filter(s -> !s.isEmpty());
        List<String> tags = tags(yaml, fields);
        List<String> aliases = aliases(yaml, fields);
        boolean draft = draft(yaml, fields);
        String slug = slug(yaml, fields, file);
        return new Post(file, slug, title, date, published, summary, tags, aliases, draft, body, bodyFirstLine);
    }

    private static String requiredDate(MarkedYaml yaml, Map<String, Object> fields) throws SiteException {
        Object value = fields.get("date");
        if (value == null) {
            int line = fields.containsKey("date") ? yaml.lineOf("date") : 2;
            throw new SiteException(yaml.file(), line, "date is required (e.g. date: 2026-03-14)");
        }
        if (!(value instanceof String s)) {
            throw yaml.error("date", "date must be YYYY-MM-DD or an ISO date-time such as 2026-03-14T09:30:00Z, found "
                    + MarkedYaml.describe(value));
        }
        return s.strip();
    }

    private static boolean hasOffset(String dateTime) {
        int t = dateTime.indexOf('T');
        String time = t < 0 ? "" : dateTime.substring(t);
        return time.endsWith("Z") || time.endsWith("z") || time.contains("+") || time.contains("-");
    }

    private static List<String> tags(MarkedYaml yaml, Map<String, Object> fields) throws SiteException {
        Object value = fields.get("tags");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw yaml.error("tags", "tags must be a list, e.g. tags: [tcp, http], found " + MarkedYaml.describe(value));
        }
        var tags = new ArrayList<String>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String tag) || tag.isBlank()) {
                throw yaml.error("tags." + i, "each tag must be a non-empty string, found "
                        + MarkedYaml.describe(list.get(i)));
            }
            tags.add(tag.strip());
        }
        return tags;
    }

    /** Old addresses of the post (Hugo's and Jekyll's {@code aliases}/{@code redirect_from}). */
    private static List<String> aliases(MarkedYaml yaml, Map<String, Object> fields) throws SiteException {
        Object value = fields.get("aliases");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw yaml.error("aliases", "aliases must be a list of paths, e.g. aliases: [/2013/09/old-post.html],"
                    + " found " + MarkedYaml.describe(value));
        }
        var aliases = new ArrayList<String>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String alias) || !ALIAS.matcher(alias.strip()).matches()
                    || alias.strip().equals("/")) {
                throw yaml.error("aliases." + i, "each alias must be an absolute path of letters, digits and - _ . ~"
                        + " such as /2013/09/old-post.html, without .. or a query, found " + MarkedYaml.describe(list.get(i)));
            }
            aliases.add(alias.strip());
        }
        return aliases;
    }

    private static boolean draft(MarkedYaml yaml, Map<String, Object> fields) throws SiteException {
        Object value = fields.get("draft");
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw yaml.error("draft", "draft must be true or false, found " + MarkedYaml.describe(value));
        }
        return b;
    }

    private static String slug(MarkedYaml yaml, Map<String, Object> fields, Path file) throws SiteException {
        Optional<String> explicit = yaml.optionalString(fields, "slug").map(String::strip);
        if (explicit.isPresent()) {
            if (!SLUG.matcher(explicit.get()).matches()) {
                throw yaml.error("slug", "slug must be letters, digits, '-' and '_' (it becomes /posts/<slug>/), got \""
                        + explicit.get() + "\"");
            }
            return explicit.get();
        }
        String fromName = slugFromFileName(file.getFileName().toString());
        if (!SLUG.matcher(fromName).matches()) {
            throw new SiteException(file, 1, "the file name gives the slug \"" + fromName + "\", which is not"
                    + " letters, digits, '-' and '_': rename the file or set slug: in the front matter");
        }
        return fromName;
    }
}
