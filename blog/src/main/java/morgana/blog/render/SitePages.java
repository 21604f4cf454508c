package morgana.blog.render;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import morgana.blog.site.Post;
import morgana.blog.site.SiteConfig;

/**
 * Renders the pages of a site from its configuration and rendered posts: the index (newest first), one page
 * per post, the 404 page, the stylesheet and the Atom feed. Deterministic: the same input gives the same
 * bytes (no clock is read; the feed's {@code updated} is the newest post's date).
 */
public final class SitePages {

    /** Where the feed is served; the layout links to it. */
    public static final String FEED_PATH = "/feed.xml";
    public static final String STYLESHEET_PATH = "/style.css";

    private static final DateTimeFormatter HUMAN_DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final String EPOCH = "1970-01-01T00:00:00Z";

    private static final Template LAYOUT = Template.resource("layout.html");
    private static final Template INDEX = Template.resource("index.html");
    private static final Template INDEX_ITEM = Template.resource("index-item.html");
    private static final Template POST = Template.resource("post.html");
    private static final Template NOT_FOUND = Template.resource("not-found.html");
    private static final Template FEED = Template.resource("feed.xml");
    private static final Template FEED_ENTRY = Template.resource("feed-entry.xml");
    private static final String STYLESHEET = Template.resource("style.css").render(Map.of());

    private final SiteConfig config;

    public SitePages(SiteConfig config) {
        this.config = config;
    }

    /** The front page: every post, newest first, in the order given. */
    public String index(List<RenderedPost> posts) {
        var items = new StringBuilder();
        for (RenderedPost rendered : posts) {
            Post post = rendered.post();
            items.append(INDEX_ITEM.render(Map.of(
                    "url", post.urlPath(),
                    "title", post.title(),
                    "isoDate", post.date().toString(),
                    "date", HUMAN_DATE.format(post.date()),
                    "summary", rendered.summary())));
        }
        Html.Safe intro = config.description().isEmpty()
                ? Html.Safe.EMPTY
                : new Html.Safe("<p class=\"intro\">" + Html.escape(config.description()) + "</p>\n");
        if (posts.isEmpty()) {
            items.append("<li class=\"post-item\">No posts yet.</li>\n");
        }
        String content = INDEX.render(Map.of("intro", intro, "items", new Html.Safe(items.toString())));
        return layout(config.title(), "/", content);
    }

    /** The page of one post, served at {@code /posts/<slug>/}. */
    public String post(RenderedPost rendered) {
        Post post = rendered.post();
        var tags = new StringBuilder();
        if (!post.tags().isEmpty()) {
            tags.append("<ul class=\"tags\">");
            post.tags().forEach(tag -> tags.append("<li>").append(Html.escape(tag)).append("</li>"));
            tags.append("</ul>");
        }
        String content = POST.render(Map.of(
                "title", post.title(),
                "isoDate", post.date().toString(),
                "date", HUMAN_DATE.format(post.date()),
                "tags", new Html.Safe(tags.toString()),
                "body", rendered.body()));
        return layout(post.title() + " – " + config.title(), post.urlPath(), content, rendered.summary());
    }

    /** The page served with status 404. */
    public String notFound() {
        return layout("Page not found – " + config.title(), "/404.html", NOT_FOUND.render(Map.of()));
    }

    public String stylesheet() {
        return STYLESHEET;
    }

    /** An Atom feed (RFC 4287) of the posts, in the order given, with absolute links from {@code base_url}. */
    public String atomFeed(List<RenderedPost> posts) {
        var entries = new StringBuilder();
        for (RenderedPost rendered : posts) {
            Post post = rendered.post();
            entries.append(FEED_ENTRY.render(Map.of(
                    "title", post.title(),
                    "url", absolute(post.urlPath()),
                    "published", post.published().toString(),
                    "summary", rendered.summary(),
                    // type="html": the HTML is escaped once more, as RFC 4287 §3.1.1.2 asks.
                    "content", rendered.body().markup())));
        }
        String updated = posts.isEmpty() ? EPOCH : posts.stream()
                .map(p -> p.post().published()).max(java.util.Comparator.naturalOrder()).orElseThrow().toString();
        return FEED.render(Map.of(
                "siteTitle", config.title(),
                "description", config.description(),
                "baseUrl", config.baseUrl(),
                "feedUrl", absolute(FEED_PATH),
                "updated", updated,
                "author", config.author().isEmpty() ? config.title() : config.author(),
                "entries", new Html.Safe(entries.toString())));
    }

    private String layout(String pageTitle, String path, String content) {
        return layout(pageTitle, path, content, config.description());
    }

    private String layout(String pageTitle, String path, String content, String description) {
        String footer = config.author().isEmpty()
                ? config.title() + " · served by Morgana"
                : "© " + config.author() + " · served by Morgana";
        return LAYOUT.render(Map.of(
                "pageTitle", pageTitle,
                "description", description,
                "canonicalUrl", absolute(path),
                "siteTitle", config.title(),
                "content", new Html.Safe(content),
                "footer", footer));
    }

    private String absolute(String path) {
        return config.baseUrl() + path.substring(1);
    }
}
