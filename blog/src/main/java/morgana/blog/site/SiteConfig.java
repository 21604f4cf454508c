package morgana.blog.site;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The site's {@code morgana.yaml}: metadata used to render pages, plus raw sections such as {@code image:}
 * that other parts of Morgana read (and validate) themselves, with {@link #error} to report their own
 * problems at the right line.
 *
 * <pre>
 * title: Notes from the wire         # required
 * description: A blog served by a JVM unikernel
 * author: Jane Doe
 * base_url: "http://127.0.0.1:8080/" # required: absolute http(s) URL, used for the feed and canonical links
 * permalink: /posts/:slug/           # where posts are served; Jekyll's styles and placeholders work
 * paginate: 10                       # posts per index page
 * timezone: Europe/Paris             # zone of dates written without an offset (default UTC)
 * fingerprint: true                  # static files also served under a content-hashed name, which pages use
 * minify_html: false                 # collapse the whitespace between the tags of generated pages
 * smart_punctuation: false           # curly quotes, en and em dashes and ellipses in posts' text
 * image: { ... }                     # read by deploy
 * </pre>
 */
public final class SiteConfig {

    public static final String FILE_NAME = "morgana.yaml";
    public static final int DEFAULT_PAGINATE = 10;

    private final MarkedYaml yaml;
    private final Map<String, Object> raw;
    private final String title;
    private final String description;
    private final String author;
    private final String baseUrl;
    private final SiteKind kind;
    private final Permalink permalink;
    private final int paginate;
    private final ZoneId zone;

    private SiteConfig(MarkedYaml yaml, Map<String, Object> raw, String title, String description, String author,
                       String baseUrl, SiteKind kind, Permalink permalink, int paginate, ZoneId zone) {
        this.yaml = yaml;
        this.raw = raw;
        this.title = title;
        this.description = description;
        this.author = author;
        this.baseUrl = baseUrl;
        this.kind = kind;
        this.permalink = permalink;
        this.paginate = paginate;
        this.zone = zone;
    }

    /**
     * Reads the site's settings: {@code morgana.yaml}, or else a Jekyll {@code _config.yml}, or else a Hugo
     * {@code hugo.toml}/{@code config.toml}/{@code hugo.yaml}, so that an existing site builds as it is.
     */
    public static SiteConfig load(Path siteRoot) throws SiteException {
        Path file = siteRoot.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            for (SiteKind kind : List.of(SiteKind.JEKYLL, SiteKind.HUGO)) {
                for (String name : kind.configFiles()) {
                    Path other = siteRoot.resolve(name);
                    if (Files.isRegularFile(other)) {
                        return ForeignSiteConfig.parse(kind, other, readConfig(other));
                    }
                }
            }
        }
        return parse(file, readConfig(file));
    }

    private static String readConfig(Path file) throws SiteException {
        Path siteRoot = file.getParent() == null ? Path.of(".") : file.getParent();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(siteRoot)) {
                throw new SiteException(siteRoot, "no such site directory; `morgana new " + siteRoot
                        + "` creates one with a working " + FILE_NAME);
            }
            throw new SiteException(file, "missing: every site needs a " + FILE_NAME
                    + " at its root (title, base_url, ...); `morgana new` writes a working one");
        } catch (CharacterCodingException e) {
            throw new SiteException(file, "is not valid UTF-8");
        } catch (IOException e) {
            throw new SiteException(file, 0, "cannot be read: " + e.getMessage(), e);
        }
        return text;
    }

    /** Parses the text of a {@code morgana.yaml}; {@code file} is only used in error messages. */
    public static SiteConfig parse(Path file, String text) throws SiteException {
        MarkedYaml yaml = MarkedYaml.parse(file, 1, text);
        Map<String, Object> raw = yaml.mapping("site settings (title, base_url, ...)");
        if (raw.isEmpty()) {
            throw new SiteException(file, 1, "is empty; it needs at least title and base_url"
                    + " (`morgana new` writes a working one)");
        }
        String title = yaml.requiredString(raw, "title", "\"My blog\"");
        String description = yaml.optionalString(raw, "description").orElse("").strip();
        String author = yaml.optionalString(raw, "author").orElse("").strip();
        String baseUrl = normaliseBaseUrl(yaml, "base_url", yaml.requiredString(raw, "base_url", "\"http://127.0.0.1:8080/\""));
        Permalink permalink = permalink(yaml, "permalink", raw.get("permalink"));
        int paginate = paginate(yaml, "paginate", raw.get("paginate"));
        ZoneId zone = zone(yaml, "timezone", raw.get("timezone"));
        return new SiteConfig(yaml, frozen(raw), title, description, author, baseUrl, SiteKind.MORGANA, permalink,
                paginate, zone);
    }

    /** Settings read from another generator's file, already mapped to Morgana's meaning. */
    static SiteConfig of(MarkedYaml yaml, Map<String, Object> raw, SiteKind kind, String title, String description,
                         String author, String baseUrl, Permalink permalink, int paginate, ZoneId zone) {
        return new SiteConfig(yaml, frozen(raw), title, description, author, baseUrl, kind, permalink, paginate, zone);
    }

    static Permalink permalink(MarkedYaml yaml, String key, Object value) throws SiteException {
        if (value == null) {
            return Permalink.DEFAULT;
        }
        if (!(value instanceof String s) || !s.strip().startsWith("/") && !List.of("date", "pretty", "ordinal", "none").contains(s.strip())) {
            throw yaml.error(key, key + " must be a path pattern such as /:year/:month/:day/:title/ or /posts/:slug/,"
                    + " found " + MarkedYaml.describe(value));
        }
        Permalink permalink = Permalink.of(s);
        if (!permalink.unknownPlaceholder().isEmpty()) {
            throw yaml.error(key, key + " uses " + permalink.unknownPlaceholder() + ", which is not one of :year :month"
                    + " :day :i_month :i_day :short_year :hour :minute :second :title :slug :filename :categories :section");
        }
        return permalink;
    }

    static int paginate(MarkedYaml yaml, String key, Object value) throws SiteException {
        if (value == null) {
            return DEFAULT_PAGINATE;
        }
        if (!(value instanceof Number n) || n.longValue() < 1 || n.longValue() > 1000 || n.doubleValue() != n.longValue()) {
            throw yaml.error(key, key + " must be a whole number of posts per index page, 1 to 1000, found "
                    + MarkedYaml.describe(value));
        }
        return n.intValue();
    }

    static ZoneId zone(MarkedYaml yaml, String key, Object value) throws SiteException {
        if (value == null) {
            return ZoneOffset.UTC;
        }
        try {
            if (value instanceof String s) {
                return ZoneId.of(s.strip());
            }
        } catch (DateTimeException e) {
            // reported below
        }
        throw yaml.error(key, key + " must be a time zone such as Europe/Paris or UTC, found " + MarkedYaml.describe(value));
    }

    /** The generator whose layout the site follows. */
    public SiteKind kind() {
        return kind;
    }

    /** Where posts are served, unless a post sets its own {@code permalink}. */
    public Permalink permalink() {
        return permalink;
    }

    /** Posts per index page. */
    public int paginate() {
        return paginate;
    }

    /** The zone of dates written without an offset. */
    public ZoneId zone() {
        return zone;
    }

    /** A deep, unmodifiable copy (YAML allows null values, so not Map.copyOf). */
    @SuppressWarnings("unchecked")
    private static <T> T frozen(T value) {
        return switch (value) {
            case Map<?, ?> map -> {
                var copy = new LinkedHashMap<String, Object>();
                map.forEach((k, v) -> copy.put(String.valueOf(k), frozen(v))); // keys as written, e.g. 80 -> "80"
                yield (T) Collections.unmodifiableMap(copy);
            }
            case List<?> list -> {
                var copy = new ArrayList<Object>();
                list.forEach(item -> copy.add(frozen(item)));
                yield (T) Collections.unmodifiableList(copy);
            }
            case null, default -> value;
        };
    }

    static String normaliseBaseUrl(MarkedYaml yaml, String key, String value) throws SiteException {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return value.endsWith("/") ? value : value + "/";
            }
        } catch (URISyntaxException e) {
            // reported below, with the example
        }
        throw yaml.error(key, key + " must be an absolute http(s) URL such as \"https://blog.example.org/\", got \""
                + value + "\"");
    }

    public String title() {
        return title;
    }

    /** The site description, or "" when there is none. */
    public String description() {
        return description;
    }

    /** The author, or "" when there is none. */
    public String author() {
        return author;
    }

    /** The absolute base URL, always ending in {@code /}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The file this configuration was read from. */
    public Path file() {
        return yaml.file();
    }

    /**
     * A top-level section as it was written, e.g. {@code section("image")}: nested maps, lists, strings,
     * numbers and booleans (YAML 1.2 core schema; dates stay strings), unmodifiable all the way down.
     * Empty when the section is absent.
     *
     * @throws SiteException when the key is present but is not a mapping
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) throws SiteException {
        Object value = raw.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw yaml.error(name, name + " must be a mapping (indented keys below \"" + name + ":\"), found "
                    + MarkedYaml.describe(value));
        }
        return (Map<String, Object>) value;
    }

    /**
     * A top-level yes/no setting such as {@code fingerprint: false}: {@code whenAbsent} when the key is not
     * written.
     *
     * @throws SiteException when the key is present but is not true or false
     */
    public boolean flag(String key, boolean whenAbsent) throws SiteException {
        Object value = raw.get(key);
        if (value == null) {
            return whenAbsent;
        }
        if (!(value instanceof Boolean b)) {
            throw yaml.error(key, key + " must be true or false, found " + MarkedYaml.describe(value));
        }
        return b;
    }

    /** The whole file as written, top-level keys in file order. */
    public Map<String, Object> raw() {
        return raw;
    }

    /** The line on which a key is written, as a dotted path: {@code image.memory}, {@code image.ports.0}. */
    public OptionalInt lineOf(String dottedKey) {
        return yaml.hasLineFor(dottedKey) ? OptionalInt.of(yaml.lineOf(dottedKey)) : OptionalInt.empty();
    }

    /**
     * An error about a key of this file, at the key's line, for code that validates its own section:
     * {@code throw config.error("image.memory", "image.memory must be a size such as 256M")}.
     */
    public SiteException error(String dottedKey, String problem) {
        return yaml.error(dottedKey, problem);
    }
}
