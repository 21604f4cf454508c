package morgana.blog.render;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import morgana.blog.site.Post;
import morgana.blog.site.SiteConfig;

/** The machine-read files of a site: the Atom feed (RFC 4287), sitemap.xml and robots.txt. */
public final class Feeds {

    /** How many of the newest posts the feed carries. */
    public static final int FEED_ENTRIES = 20;
    public static final String SITEMAP_PATH = "/sitemap.xml";
    public static final String ROBOTS_PATH = "/robots.txt";
    private static final String EPOCH = "1970-01-01T00:00:00Z";

    private Feeds() {}

    /** The Atom feed of the newest {@value #FEED_ENTRIES} of {@code posts} (given newest first). */
    public static String atom(SiteConfig config, List<RenderedPost> posts) {
        List<RenderedPost> newest = posts.subList(0, Math.min(FEED_ENTRIES, posts.size()));
        String updated = newest.stream().map(p -> lastChange(p.post())).max(Comparator.naturalOrder())
                .map(Instant::toString).orElse(EPOCH);
        var xml = new StringBuilder(16384);
        xml.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        element(xml, "title", config.title());
        if (!config.description().isEmpty()) {
            element(xml, "subtitle", config.description());
        }
        xml.append("<link href=\"").append(Html.escape(config.baseUrl())).append("\"/>\n");
        xml.append("<link rel=\"self\" type=\"application/atom+xml\" href=\"")
                .append(Html.escape(absolute(config, SitePages.FEED_PATH))).append("\"/>\n");
        element(xml, "id", config.baseUrl());
        element(xml, "updated", updated);
        xml.append("<author>");
        element(xml, "name", config.author().isEmpty() ? config.title() : config.author());
        xml.append("</author>\n<generator>Morgana</generator>\n");
        for (RenderedPost rendered : newest) {
            Post post = rendered.post();
            String url = absolute(config, post.urlPath());
            xml.append("<entry>\n");
            element(xml, "title", post.title());
            xml.append("<link rel=\"alternate\" type=\"text/html\" href=\"").append(Html.escape(url)).append("\"/>\n");
            element(xml, "id", url);
            element(xml, "published", post.published().toString());
            element(xml, "updated", lastChange(post).toString());
            for (String tag : post.tags()) {
                xml.append("<category term=\"").append(Html.escape(tag)).append("\"/>\n");
            }
            element(xml, "summary", rendered.summaryText());
            // type="html": the markup is escaped once more, as RFC 4287 §3.1.1.2 asks.
            xml.append("<content type=\"html\">").append(Html.escape(rendered.rendered().html())).append("</content>\n");
            xml.append("</entry>\n");
        }
        return xml.append("</feed>\n").toString();
    }

    /** A sitemap (sitemaps.org 0.9) of the given HTML page paths, with each post's last change. */
    public static String sitemap(SiteConfig config, List<String> pagePaths, List<RenderedPost> posts) {
        var xml = new StringBuilder(64 * (pagePaths.size() + posts.size()) + 128);
        xml.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (RenderedPost post : posts) {
            xml.append("<url><loc>").append(Html.escape(absolute(config, post.post().urlPath()))).append("</loc><lastmod>")
                    .append(lastChange(post.post())).append("</lastmod></url>\n");
        }
        for (String path : pagePaths) {
            xml.append("<url><loc>").append(Html.escape(absolute(config, path))).append("</loc></url>\n");
        }
        return xml.append("</urlset>\n").toString();
    }

    public static String robots(SiteConfig config) {
        return "User-agent: *\nAllow: /\n\nSitemap: " + absolute(config, SITEMAP_PATH) + "\n";
    }

    private static Instant lastChange(Post post) {
        return post.updated().filter(u -> u.isAfter(post.published())).orElse(post.published());
    }

    private static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>').append(Html.escape(text)).append("</").append(name).append(">\n");
    }

    static String absolute(SiteConfig config, String path) {
        return config.baseUrl() + path.substring(1);
    }
}
