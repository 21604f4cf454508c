package morgana.blog.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;

/**
 * Renders the HTML pages of a site through its {@link Theme}: paginated index, one page per post, stand-alone
 * pages, tag and category pages with their lists, archives by year and the 404 page. Deterministic: the same
 * input gives the same bytes (no clock is read). Pages come as the UTF-8 bytes they are served as. Thread-safe; pages
 * are rendered in parallel.
 */
public final class SitePages {

    public static final String FEED_PATH = "/feed.xml";
    public static final String ARCHIVES_PATH = "/archives/";

    private final SiteConfig config;
    private final Theme theme;
    private final Map<String, Object> site;

    /**
     * @param stylesheetPath where the (fingerprinted) stylesheet is served
     * @param liveReload     whether pages carry the reload script ({@code morgana serve --watch} only)
     */
    public SitePages(SiteConfig config, Theme theme, String stylesheetPath, boolean liveReload) {
        this.config = config;
        this.theme = theme;
        var site = new HashMap<String, Object>();
        site.put("title", config.title());
        site.put("description", config.description());
        site.put("author", config.author());
        site.put("baseUrl", config.baseUrl());
        site.put("language", config.raw().get("language") instanceof String l ? l : "en");
        site.put("stylesheet", stylesheetPath);
        site.put("feedPath", FEED_PATH);
        site.put("liveReload", liveReload);
        site.put("params", config.raw());
        this.site = Map.copyOf(site);
    }

    /** Index page {@code number} (1-based) of {@code total}, listing {@code posts}. */
    public byte[] index(List<PostView> posts, int number, int total) throws SiteException {
        var pagination = Map.of("number", number, "total", total,
                "previousUrl", number > 1 ? indexPath(number - 1) : "",
                "nextUrl", number < total ? indexPath(number + 1) : "");
        String title = number == 1 ? config.title() : config.title() + " – page " + number;
        return render("index.html", page(title, config.description(), indexPath(number)),
                Map.of("posts", posts, "pagination", pagination));
    }

    /** Where index page {@code number} is served: {@code /}, then {@code /page/2/} ... */
    public static String indexPath(int number) {
        return number == 1 ? "/" : "/page/" + number + "/";
    }

    /** The page of one post, with the template its {@code layout} names when the theme has it. */
    public byte[] post(RenderedPost rendered, PostView view, String template) throws SiteException {
        return render(template, page(rendered.post().title() + " – " + config.title(), rendered.summaryText(),
                rendered.post().urlPath()), Map.of("post", view));
    }

    public byte[] term(Taxonomy taxonomy, Taxonomy.Term term, List<PostView> posts) throws SiteException {
        return render("taxonomy.html", page(taxonomy.label() + ": " + term.name() + " – " + config.title(),
                config.description(), term.url()), Map.of("term", taxonomy.view(term), "posts", posts));
    }

    public byte[] terms(Taxonomy taxonomy, List<Taxonomy.Term> terms) throws SiteException {
        var views = terms.stream().map(taxonomy::view).toList();
        String heading = Character.toUpperCase(taxonomy.plural().charAt(0)) + taxonomy.plural().substring(1);
        var page = new HashMap<>(page(heading + " – " + config.title(), config.description(), taxonomy.basePath()));
        page.put("heading", heading);
        return render("terms.html", page, Map.of("terms", views));
    }

    /** Archives: every post by year, newest first; {@code year} limits it to one year's page. */
    public byte[] archive(List<PostView> newestFirst, String path, String heading) throws SiteException {
        var byYear = new TreeMap<String, List<PostView>>(java.util.Comparator.reverseOrder());
        for (PostView post : newestFirst) {
            byYear.computeIfAbsent(post.isoDate().substring(0, 4), y -> new ArrayList<>()).add(post);
        }
        var years = new ArrayList<Map<String, Object>>();
        byYear.forEach((year, posts) -> years.add(Map.of("year", year, "url", ARCHIVES_PATH + year + "/", "posts", posts)));
        var page = new HashMap<>(page(heading + " – " + config.title(), config.description(), path));
        page.put("heading", heading);
        return render("archive.html", page, Map.of("years", years));
    }

    public byte[] notFound() throws SiteException {
        return render("404.html", page("Page not found – " + config.title(), config.description(), "/404.html"), Map.of());
    }

    private Map<String, Object> page(String title, String description, String path) {
        return Map.of("title", title, "description", description, "canonicalUrl", config.baseUrl() + path.substring(1),
                "path", path);
    }

    private byte[] render(String template, Map<String, Object> page, Map<String, Object> values) throws SiteException {
        var context = new LinkedHashMap<String, Object>(values);
        context.put("site", site);
        context.put("page", page);
        return theme.renderUtf8(template, context);
    }
}
