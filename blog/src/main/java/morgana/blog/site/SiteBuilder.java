package morgana.blog.site;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.render.MarkdownRenderer;
import morgana.blog.render.RenderedPost;
import morgana.blog.render.SitePages;

/**
 * Turns a site directory into a {@link SiteBundle}:
 * <pre>
 *   morgana.yaml         -> site settings ({@link SiteConfig})
 *   posts/*.md           -> /posts/&lt;slug&gt;/index.html, listed newest first on /index.html and in /feed.xml
 *   static/**            -> /&lt;relative path&gt;, as is
 *   (generated)          -> /404.html, /style.css (a static/style.css replaces it)
 * </pre>
 * Drafts are left out. Every link and image in a post that points inside the site must resolve to a page
 * or file of the bundle, or the build fails at that post's line.
 */
public final class SiteBuilder {

    public static final String POSTS_DIR = "posts";
    public static final String STATIC_DIR = "static";

    /** What a build produced: the settings, the published posts (newest first) and the bundle. */
    public record BuiltSite(SiteConfig config, List<Post> posts, SiteBundle bundle) {
        public BuiltSite {
            posts = List.copyOf(posts);
        }
    }

    private SiteBuilder() {}

    /** Builds the bundle of the site at {@code siteRoot}. */
    public static SiteBundle build(Path siteRoot) throws SiteException {
        return buildSite(siteRoot).bundle();
    }

    /** Builds the site at {@code siteRoot}, keeping the parsed settings and posts beside the bundle. */
    public static BuiltSite buildSite(Path siteRoot) throws SiteException {
        SiteConfig config = SiteConfig.load(siteRoot);
        List<Post> posts = loadPosts(siteRoot.resolve(POSTS_DIR));

        var markdown = new MarkdownRenderer();
        var pages = new SitePages(config);
        var rendered = new ArrayList<RenderedPost>();
        var links = new LinkedHashMap<Post, List<MarkdownRenderer.LinkTarget>>();
        for (Post post : posts) {
            MarkdownRenderer.Rendered html = markdown.render(post.markdown(), post.bodyFirstLine());
            rendered.add(RenderedPost.of(post, html));
            links.put(post, html.links());
        }

        var entries = new LinkedHashMap<String, BundleEntry>();
        addText(entries, "/index.html", ContentTypes.HTML, pages.index(rendered));
        for (RenderedPost post : rendered) {
            addText(entries, post.post().urlPath() + "index.html", ContentTypes.HTML, pages.post(post));
        }
        addText(entries, SiteBundle.NOT_FOUND_PATH, ContentTypes.HTML, pages.notFound());
        addText(entries, SitePages.FEED_PATH, ContentTypes.ATOM, pages.atomFeed(rendered));
        addText(entries, SitePages.STYLESHEET_PATH, ContentTypes.CSS, pages.stylesheet());
        addStaticFiles(siteRoot.resolve(STATIC_DIR), entries);
        addAliases(posts, entries);

        SiteBundle bundle = SiteBundle.of(entries.values());
        for (var postLinks : links.entrySet()) {
            checkLinks(postLinks.getKey(), postLinks.getValue(), bundle);
        }
        return new BuiltSite(config, posts, bundle);
    }

    /** Every {@code *.md} directly in {@code postsDir}, drafts left out, newest first. */
    static List<Post> loadPosts(Path postsDir) throws SiteException {
        if (!Files.isDirectory(postsDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(postsDir)) {
            files = listing
                    .filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SiteException(postsDir, 0, "cannot be listed: " + e.getMessage(), e);
        }
        var posts = new ArrayList<Post>();
        var bySlug = new HashMap<String, Post>();
        for (Path file : files) {
            Post post = PostParser.parse(file, readUtf8(file));
            if (post.draft()) {
                continue;
            }
            Post other = bySlug.putIfAbsent(post.slug(), post);
            if (other != null) {
                throw new SiteException(file, 1, "has the slug \"" + post.slug() + "\", like " + other.source()
                        + "; both would be served at " + post.urlPath() + ": rename one or set slug: in its front matter");
            }
            posts.add(post);
        }
        posts.sort(Post.NEWEST_FIRST);
        return posts;
    }

    private static void addStaticFiles(Path staticDir, Map<String, BundleEntry> entries) throws SiteException {
        if (!Files.isDirectory(staticDir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staticDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(staticDir.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SiteException(staticDir, 0, "cannot be read: " + e.getMessage(), e);
        }
        for (Path file : files) {
            var path = new StringBuilder();
            for (Path segment : staticDir.relativize(file)) {
                path.append('/').append(segment);
            }
            String urlPath = path.toString();
            if (entries.containsKey(urlPath) && !urlPath.equals(SitePages.STYLESHEET_PATH)) {
                throw new SiteException(file, "would replace the generated " + urlPath + "; remove or rename it");
            }
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new SiteException(file, 0, "cannot be read: " + e.getMessage(), e);
            }
            try {
                entries.put(urlPath, BundleEntry.of(urlPath, ContentTypes.forPath(urlPath), body));
            } catch (IllegalArgumentException e) {
                throw new SiteException(file, "cannot be served: " + e.getMessage());
            }
        }
    }

    /**
     * A redirect entry for each alias of each post, added last so that an alias can hide nothing: a page, a
     * static file or another alias at the same address is an error naming the post.
     */
    private static void addAliases(List<Post> posts, Map<String, BundleEntry> entries) throws SiteException {
        for (Post post : posts) {
            for (String alias : post.aliases()) {
                String path = alias.endsWith("/") ? alias + "index.html" : alias;
                BundleEntry existing = entries.get(path);
                if (existing != null) {
                    String what = ContentTypes.REDIRECT.equals(existing.contentType())
                            ? "another alias, of " + new String(existing.body(), StandardCharsets.UTF_8)
                            : "a page or file of the site";
                    throw new SiteException(post.source(), "has the alias " + alias + ", which is already "
                            + what + "; remove one of them");
                }
                entries.put(path, BundleEntry.of(path, ContentTypes.REDIRECT, post.urlPath().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** Dot files (editor droppings, .DS_Store) are not published; {@code .well-known} is. */
    private static boolean isHidden(Path relative) {
        for (Path segment : relative) {
            String name = segment.toString();
            if (name.startsWith(".") && !name.equals(".well-known")) {
                return true;
            }
        }
        return false;
    }

    private static void checkLinks(Post post, List<MarkdownRenderer.LinkTarget> links, SiteBundle bundle)
            throws SiteException {
        URI base = URI.create("http://site" + post.urlPath());
        for (MarkdownRenderer.LinkTarget link : links) {
            String destination = link.destination();
            if (destination.isEmpty() || destination.startsWith("#")) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(destination);
            } catch (URISyntaxException e) {
                throw new SiteException(post.source(), link.line(), "the link target \"" + destination
                        + "\" is not a valid URL (" + e.getReason() + ")");
            }
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                continue; // another site, or mailto: and the like: not ours to check
            }
            String path = base.resolve(uri).getPath();
            if (path == null || path.isEmpty() || bundle.find(path).isPresent()) {
                continue;
            }
            String hint = bundle.find(path + "/").isPresent() ? " (did you mean " + path + "/ ?)" : "";
            throw new SiteException(post.source(), link.line(), "links to " + destination
                    + ", which is not a page or file of this site" + hint);
        }
    }

    private static void addText(Map<String, BundleEntry> entries, String path, String contentType, String text) {
        entries.put(path, BundleEntry.of(path, contentType, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String readUtf8(Path file) throws SiteException {
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new SiteException(file, "is not valid UTF-8");
        } catch (IOException e) {
            throw new SiteException(file, 0, "cannot be read: " + e.getMessage(), e);
        }
    }
}
