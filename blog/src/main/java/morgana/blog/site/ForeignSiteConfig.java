package morgana.blog.site;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * Jekyll's {@code _config.yml} and Hugo's {@code hugo.toml} read as Morgana settings, so an existing site
 * builds without a {@code morgana.yaml}. Errors name the key as that generator spells it.
 * <pre>
 *   Morgana       Jekyll                  Hugo
 *   title         title                   title
 *   base_url      url + baseurl           baseURL
 *   description   description             params.description
 *   author        author (or author.name) params.author (or author.name)
 *   permalink     permalink               permalinks.posts
 *   paginate      paginate                paginate, pagination.pagerSize
 *   timezone      timezone                timeZone
 * </pre>
 */
final class ForeignSiteConfig {

    private ForeignSiteConfig() {}

    static SiteConfig parse(SiteKind kind, Path file, String text) throws SiteException {
        boolean toml = file.getFileName().toString().endsWith(".toml");
        MarkedYaml doc = toml ? MarkedToml.parse(file, 1, text) : MarkedYaml.parse(file, 1, text);
        Map<String, Object> raw = doc.mapping("site settings");
        String title = doc.optionalString(raw, "title").orElse("My blog").strip();
        return kind == SiteKind.JEKYLL ? jekyll(doc, raw, title) : hugo(doc, raw, title);
    }

    private static SiteConfig jekyll(MarkedYaml doc, Map<String, Object> raw, String title) throws SiteException {
        String url = doc.optionalString(raw, "url").orElse("http://127.0.0.1:8080").strip();
        String baseurl = doc.optionalString(raw, "baseurl").orElse("").strip();
        String base = stripSlash(url) + (baseurl.isEmpty() || baseurl.equals("/") ? "" : "/" + trimSlashes(baseurl));
        String baseUrl = SiteConfig.normaliseBaseUrl(doc, "url", base);
        Permalink permalink = SiteConfig.permalink(doc, "permalink",
                Optional.ofNullable(raw.get("permalink")).orElse("date"));
        int paginate = SiteConfig.paginate(doc, "paginate", raw.get("paginate"));
        ZoneId zone = SiteConfig.zone(doc, "timezone", raw.get("timezone"));
        return SiteConfig.of(doc, raw, SiteKind.JEKYLL, title, text(doc, raw, "description"), author(raw),
                baseUrl, permalink, paginate, zone);
    }

    private static SiteConfig hugo(MarkedYaml doc, Map<String, Object> raw, String title) throws SiteException {
        String baseUrl = SiteConfig.normaliseBaseUrl(doc, "baseURL",
                doc.optionalString(raw, "baseURL").orElse("http://127.0.0.1:8080/").strip());
        Map<String, Object> params = map(raw.get("params"));
        Object pattern = map(raw.get("permalinks")).get("posts");
        Permalink permalink = SiteConfig.permalink(doc, "permalinks.posts",
                pattern == null ? "/posts/:slug/" : pattern);
        Object pagerSize = raw.containsKey("paginate") ? raw.get("paginate") : map(raw.get("pagination")).get("pagerSize");
        int paginate = SiteConfig.paginate(doc, raw.containsKey("paginate") ? "paginate" : "pagination.pagerSize", pagerSize);
        ZoneId zone = SiteConfig.zone(doc, "timeZone", raw.get("timeZone"));
        String description = params.get("description") instanceof String s ? s.strip() : "";
        String author = params.get("author") instanceof String s ? s.strip() : author(raw);
        return SiteConfig.of(doc, raw, SiteKind.HUGO, title, description, author, baseUrl, permalink, paginate, zone);
    }

    private static String text(MarkedYaml doc, Map<String, Object> raw, String key) throws SiteException {
        return doc.optionalString(raw, key).orElse("").strip();
    }

    /** {@code author: Jane} or {@code author: {name: Jane}}. */
    private static String author(Map<String, Object> raw) {
        return switch (raw.get("author")) {
            case String s -> s.strip();
            case Map<?, ?> m when m.get("name") instanceof String name -> name.strip();
            case null, default -> "";
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String trimSlashes(String s) {
        return s.replaceAll("^/+|/+$", "");
    }
}
