package morgana.blog.site;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.render.Feeds;
import morgana.blog.render.PostView;
import morgana.blog.render.RenderedPost;
import morgana.blog.render.SitePages;
import morgana.blog.render.Taxonomy;
import morgana.blog.render.Theme;

/**
 * The generated pages of a site and what each is made from (Hugo's split: the site model decides which pages
 * exist, {@link SitePages} how they look):
 * <pre>
 *   /  /page/2/ ...                paginated index, newest first
 *   &lt;permalink&gt;                    one page per post (its {@code layout:} template, else post.html)
 *   /tags/ /tags/&lt;slug&gt;/            every tag, and each tag's posts (the same for /categories/)
 *   /archives/ /archives/&lt;year&gt;/     every post by year, and each year's
 *   /feed.xml /sitemap.xml /robots.txt /404.html
 * </pre>
 */
final class SitePlan {

    static final String STYLESHEET_PATH = "/style.css";
    /** The page of the posts' section ({@code posts/}, Hugo's {@code content/posts/}), and its heading. */
    static final String SECTION_PATH = "/posts/";
    static final String SECTION_HEADING = "Posts";

    private final SiteConfig config;
    private final Theme theme;
    private final SitePages pages;
    private final Map<RenderedPost, PostView> viewCache;
    private final Map<RenderedPost, Listing> listings;
    /** The view of each page's post, made by {@link #postPages}. */
    private final Map<RenderedPost, PostView> views = new IdentityHashMap<>();

    /**
     * @param viewCache the views of the previous build, by rendered post (identity), kept up to date here
     * @param listings  the same for what listing pages show of each post
     */
    SitePlan(SiteConfig config, Theme theme, String stylesheetPath, boolean liveReload,
             Map<RenderedPost, PostView> viewCache, Map<RenderedPost, Listing> listings) {
        this.config = config;
        this.theme = theme;
        this.pages = new SitePages(config, theme, stylesheetPath, liveReload);
        this.viewCache = viewCache;
        this.listings = listings;
    }

    /**
     * The pages of a site whose published posts are {@code posts}, newest first, with stand-alone pages, come in two
     * lists, so that the first can be rendered while the second is planned. The first: the page of each post (which
     * links to its neighbours in {@code posts}) and of each stand-alone page. Called first: it also makes the views
     * that {@link #listingPages} shows.
     */
    List<PageCache.Page> postPages(List<RenderedPost> posts, List<RenderedPost> standalone) {
        // The views a previous build did not make, made on every core: formatting 10 000 posts' dates and links
        // is a tenth of a second that would otherwise be spent on one.
        List<RenderedPost> missing = java.util.stream.Stream.concat(posts.stream(), standalone.stream())
                .filter(p -> !viewCache.containsKey(p)).toList();
        List<PostView> made = Parallel.mapUnchecked(missing, PostView::of);
        for (int i = 0; i < missing.size(); i++) {
            viewCache.put(missing.get(i), made.get(i));
        }
        views.clear();
        posts.forEach(p -> views.put(p, viewCache.get(p)));
        standalone.forEach(p -> views.put(p, viewCache.get(p)));
        viewCache.keySet().retainAll(views.keySet());
        listings.keySet().retainAll(views.keySet());
        var out = new ArrayList<PageCache.Page>(posts.size() + standalone.size());
        for (int i = 0; i < posts.size(); i++) {
            RenderedPost post = posts.get(i);
            RenderedPost newer = i > 0 ? posts.get(i - 1) : null;
            RenderedPost older = i + 1 < posts.size() ? posts.get(i + 1) : null;
            String template = post.post().layout().map(l -> l + ".html").filter(theme::has).orElse("post.html");
            out.add(html(post.post().pagePath(), Arrays.asList("post", template, post, newer, older),
                    () -> pages.post(post, views.get(post).withNeighbours(views.get(newer), views.get(older)), template)));
        }
        for (RenderedPost page : standalone) {
            String template = page.post().layout().map(l -> l + ".html").filter(theme::has).orElse("page.html");
            out.add(html(page.post().pagePath(), Arrays.asList("page", template, page),
                    () -> pages.post(page, views.get(page), template)));
        }
        return out;
    }

    /**
     * The pages that list posts (the paginated index, tags, categories, archives), the 404 page, the feed, the
     * sitemap and robots.txt; after {@link #postPages}, whose views they show.
     */
    List<PageCache.Page> listingPages(List<RenderedPost> posts, List<RenderedPost> standalone) {
        Function<List<RenderedPost>, List<PostView>> viewsOf = list -> list.stream().map(views::get).toList();
        var out = new ArrayList<PageCache.Page>();

        int perPage = config.paginate();
        int total = Math.max(1, (posts.size() + perPage - 1) / perPage);
        for (int n = 1; n <= total; n++) {
            int number = n;
            List<RenderedPost> onPage = posts.subList(Math.min(posts.size(), (n - 1) * perPage), Math.min(posts.size(), n * perPage));
            out.add(html(indexFile(SitePages.indexPath(n)), inputs("index", number, total, onPage),
                    () -> pages.index(viewsOf.apply(onPage), number, total)));
        }
        int indexPages = out.size();
        addTaxonomy(out, Taxonomy.TAGS, Taxonomy.TAGS.terms(posts, p -> p.post().tags()), viewsOf);
        addTaxonomy(out, Taxonomy.CATEGORIES, Taxonomy.CATEGORIES.terms(posts, p -> p.post().categories()), viewsOf);

        out.add(html(SitePages.ARCHIVES_PATH + "index.html", inputs("archives", listed(posts)),
                () -> pages.archive(viewsOf.apply(posts), SitePages.ARCHIVES_PATH, "Archives")));
        var byYear = new java.util.LinkedHashMap<Integer, List<RenderedPost>>();
        posts.forEach(p -> byYear.computeIfAbsent(p.post().date().getYear(), y -> new ArrayList<>()).add(p));
        byYear.forEach((year, yearPosts) -> {
            String path = SitePages.ARCHIVES_PATH + year + "/";
            out.add(html(path + "index.html", inputs("year", listed(yearPosts)),
                    () -> pages.archive(viewsOf.apply(yearPosts), path, "Posts of " + year)));
        });

        // The posts' section, as Hugo lists content/posts/ at /posts/ (the folder a post URL's parent names):
        // every post by year, unless a page of the site's own is there. Jekyll has no sections.
        boolean sectionTaken = standalone.stream().anyMatch(page -> page.post().pagePath().equals(SECTION_PATH + "index.html"));
        if (config.kind() != SiteKind.JEKYLL && !sectionTaken) {
            out.add(html(SECTION_PATH + "index.html", inputs("section", listed(posts)),
                    () -> pages.archive(viewsOf.apply(posts), SECTION_PATH, SECTION_HEADING)));
        }

        // the sitemap's list pages, in the order of the site's pages: index pages, stand-alone pages, the rest
        var listPaths = new ArrayList<String>();
        out.subList(0, indexPages).forEach(page -> listPaths.add(page.path()));
        standalone.forEach(page -> listPaths.add(page.post().pagePath()));
        out.subList(indexPages, out.size()).forEach(page -> listPaths.add(page.path()));
        listPaths.removeIf(p -> !p.endsWith("/index.html"));
        listPaths.replaceAll(p -> p.substring(0, p.length() - "index.html".length()));

        out.add(html(SiteBundle.NOT_FOUND_PATH, List.of("404"), pages::notFound));
        List<RenderedPost> newest = posts.subList(0, Math.min(Feeds.FEED_ENTRIES, posts.size()));
        out.add(new PageCache.Page(SitePages.FEED_PATH, ContentTypes.ATOM, inputs("feed", newest),
                () -> utf8(Feeds.atom(config, newest))));
        out.add(new PageCache.Page(Feeds.SITEMAP_PATH, ContentTypes.forPath(Feeds.SITEMAP_PATH),
                inputs("sitemap", listed(posts), listPaths), () -> utf8(Feeds.sitemap(config, listPaths, posts))));
        out.add(new PageCache.Page(Feeds.ROBOTS_PATH, ContentTypes.forPath(Feeds.ROBOTS_PATH), List.of("robots"),
                () -> utf8(Feeds.robots(config))));
        return out;
    }

    private void addTaxonomy(List<PageCache.Page> out, Taxonomy taxonomy, List<Taxonomy.Term> terms,
                             Function<List<RenderedPost>, List<PostView>> viewsOf) {
        if (terms.isEmpty() && taxonomy == Taxonomy.CATEGORIES) {
            return; // a site without categories gets no empty page
        }
        var summary = terms.stream().map(t -> t.name() + "\u0000" + t.posts().size()).toList();
        out.add(html(taxonomy.basePath() + "index.html", List.of(taxonomy.plural(), summary),
                () -> pages.terms(taxonomy, terms)));
        for (Taxonomy.Term term : terms) {
            out.add(html(term.url() + "index.html", inputs(taxonomy.plural(), term.name(), listed(term.posts())),
                    () -> pages.term(taxonomy, term, viewsOf.apply(term.posts()))));
        }
    }

    /**
     * What a page that lists posts by title and date shows of each: its inputs, so that editing a post's body
     * does not re-render the archives, its tags' pages or the sitemap.
     */
    private List<Listing> listed(List<RenderedPost> posts) {
        var out = new ArrayList<Listing>(posts.size());
        for (RenderedPost post : posts) {
            out.add(listings.computeIfAbsent(post, Listing::of));
        }
        return out;
    }

    /** A post as a listing shows it; made once per rendered post and kept with its view. */
    record Listing(String title, String urlPath, java.time.Instant published, java.util.Optional<java.time.Instant> updated) {
        static Listing of(RenderedPost p) {
            return new Listing(p.post().title(), p.post().urlPath(), p.post().published(), p.post().updated());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String indexFile(String path) {
        return path + "index.html";
    }

    private static PageCache.Page html(String path, List<Object> inputs, PageCache.Render render) {
        return new PageCache.Page(path, ContentTypes.HTML, inputs, render);
    }

    /** A page's inputs: a few values and then a list of posts, flattened so each post compares by identity. */
    private static List<Object> inputs(Object... parts) {
        var list = new ArrayList<Object>();
        for (Object part : parts) {
            if (part instanceof List<?> many) {
                list.add(many.size());
                list.addAll(many);
            } else {
                list.add(part);
            }
        }
        return list;
    }

}
