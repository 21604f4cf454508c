package morgana.blog.site;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.render.LiquidTags;
import morgana.blog.render.MarkdownRenderer;
import morgana.blog.render.PostView;
import morgana.blog.render.RenderedPost;
import morgana.blog.render.Theme;

/**
 * Turns a site directory into a {@link SiteBundle}:
 * <pre>
 *   morgana.yaml | _config.yml | hugo.toml  -> site settings ({@link SiteConfig})
 *   posts/*.md | _posts/*.md | content/posts/**.md
 *                        -> one page per post at its permalink, listed on the paginated index, tag and
 *                           category pages, archives, /feed.xml and /sitemap.xml
 *   static/** (Jekyll: assets/, images/ ...) -> as is, and each asset also under a fingerprinted name
 *                           ({@link AssetNames}) that the generated pages link to
 *   layouts/*.html, templates/*.html         -> replace the default theme's templates of the same name
 *   (generated)          -> /404.html, /robots.txt, /style.&lt;hash&gt;.css and /style.css
 * </pre>
 * Drafts and future posts are left out unless the options ask for them. Every link and image in a post that
 * points inside the site must resolve, or the build fails at that post's line.
 *
 * <p>An instance remembers its last build: building again re-reads only the post files whose size or
 * modification time changed, and re-renders and re-compresses only the pages whose inputs changed (the
 * changed posts and the pages that list them). That is what {@code morgana serve --watch} uses.
 */
public final class SiteBuilder {

    public static final String POSTS_DIR = "posts";
    public static final String STATIC_DIR = "static";
    /** The script pages load in serve mode (only then), and what it does: reload on the server's event. */
    public static final String LIVE_RELOAD_SCRIPT = "/_morgana/reload.js";
    static final String LIVE_RELOAD_SOURCE =
            "new EventSource(\"/_morgana/events\").addEventListener(\"reload\", () => location.reload());\n";

    /**
     * What a build produced: the settings, the published posts (newest first, {@linkplain Post#withoutMarkdown()
     * without their Markdown}), the bundle and the warnings.
     */
    public record BuiltSite(SiteConfig config, List<Post> posts, SiteBundle bundle, List<BuildWarning> warnings,
                            List<LinkChecker.BrokenLink> brokenLinks, BuildStats stats) {
        public BuiltSite {
            posts = List.copyOf(posts);
            warnings = List.copyOf(warnings);
            brokenLinks = List.copyOf(brokenLinks);
        }
    }

    /** How much work a build did, for progress output and the incremental tests. */
    public record BuildStats(int postsRead, int postsRendered, int pagesRendered, int pagesReused) {}

    private record FileStamp(long size, Instant modified) {}

    /**
     * A file of the site found by a walk, with its size and modification time as the walk read them; or, listed
     * by name from a folder without subfolders, with no stamp yet ({@code null}): it is stat'ed when it is loaded.
     */
    private record SourceFile(Path path, FileStamp stamp) {}

    /** A post as read and rendered, with what templates see of it (made here, on the loading threads). */
    private record CachedPost(FileStamp stamp, PostSettings settings, Post post, RenderedPost rendered,
                              PostView view, List<BuildWarning> warnings) {}

    private final Path siteRoot;
    private final BuildOptions options;
    /** The renderer for the site's settings (smart punctuation or not): see {@link #useSettingsOf}. */
    private MarkdownRenderer markdown = new MarkdownRenderer();
    private final Map<Path, CachedPost> postCache = new ConcurrentHashMap<>();
    private final PageCache pageCache = new PageCache();
    private final Map<Path, Map.Entry<FileStamp, BundleEntry>> staticCache = new ConcurrentHashMap<>();
    private final Map<RenderedPost, PostView> viewCache = new java.util.IdentityHashMap<>();
    private final Map<RenderedPost, SitePlan.Listing> listings = new java.util.IdentityHashMap<>();
    private final Map<RenderedPost, List<LinkChecker.BrokenLink>> linkChecks = new java.util.IdentityHashMap<>();
    private Set<String> checkedPaths = Set.of();
    private String themeKey = "";
    /** The theme of the last build: the same while the settings and the override templates are (themeKey). */
    private Theme theme;
    private BundleEntry lastStylesheet;
    private java.util.function.Consumer<String> progress = line -> {};

    public SiteBuilder(Path siteRoot, BuildOptions options) {
        this.siteRoot = siteRoot;
        this.options = options;
    }

    /**
     * Starts, on a thread of its own, what a build first does once per process: loading libdeflate and libcrypto
     * and making their calls (an entry compressed and hashed: mostly the first native calls through the FFM linker;
     * libzstd is loaded when a page first needs it, as only large ones get a zstd variant), and setting up the
     * Markdown parser. The command line calls this before it parses its arguments, which keeps one core busy
     * while the other has little to do; the build then finds all of it ready rather than waiting for it on the
     * way (the example blog: 0.62 -> 0.36 s).
     */
    public static Thread warmUpInBackground() {
        return Thread.ofPlatform().daemon().name("morgana-warm-up").start(() -> {
            try {
                BundleEntry.of("/warm-up.html", ContentTypes.HTML,
                        "<!doctype html><p>warm-up</p>".repeat(8).getBytes(StandardCharsets.UTF_8));
                new MarkdownRenderer().render("# Warm-up\n\nA *paragraph* with [a link](/a/).\n", 1);
            } catch (RuntimeException | LinkageError e) {
                // the build does the same and reports it, with the site's file and line where there is one
            }
        });
    }

    /** Where to report the phases of a build and their times (the CLI prints them for large sites). */
    public SiteBuilder onProgress(java.util.function.Consumer<String> sink) {
        this.progress = java.util.Objects.requireNonNull(sink, "sink");
        return this;
    }

    /**
     * Every problem of the site rather than the first: each post whose front matter is wrong (bad date, bad
     * key), every duplicate permalink, every broken internal link and missing image. Empty when the site is
     * fine. This is {@code morgana check}.
     */
    public List<SiteException> check() {
        var problems = new ArrayList<SiteException>();
        try {
            SiteConfig config = SiteConfig.load(siteRoot);
            useSettingsOf(config);
            var settings = new PostSettings(config.zone(), config.permalink(), "posts", config.kind() != SiteKind.MORGANA, false);
            var byUrl = new HashMap<String, Post>();
            var files = new ArrayList<Map.Entry<SourceFile, PostSettings>>();
            postFiles(config.kind()).forEach(f -> files.add(Map.entry(f, settings)));
            pageFiles(config.kind()).forEach(f -> files.add(Map.entry(f, settings.forPages())));
            for (var fileAndSettings : files) {
                Path file = fileAndSettings.getKey().path();
                try {
                    CachedPost loaded = loadPost(fileAndSettings.getKey(), fileAndSettings.getValue(), config.kind(), new int[1]);
                    if (loaded == null) {
                        continue;
                    }
                    Post post = loaded.post();
                    Post other = byUrl.putIfAbsent(post.urlPath(), post);
                    if (other != null) {
                        problems.add(new SiteException(file, 1, "has the permalink " + post.urlPath() + ", like "
                                + other.source() + "; set slug: or permalink: in one of them"));
                    }
                } catch (SiteException e) {
                    problems.add(e);
                }
            }
            if (problems.isEmpty()) {
                build().brokenLinks().forEach(b -> problems.add(b.toException()));
            }
        } catch (SiteException e) {
            problems.add(e);
        }
        return problems;
    }

    /** Builds the bundle of the site at {@code siteRoot}, as published now. */
    public static SiteBundle build(Path siteRoot) throws SiteException {
        return buildSite(siteRoot).bundle();
    }

    /** Builds the site at {@code siteRoot} as published now; fails on the first broken link. */
    public static BuiltSite buildSite(Path siteRoot) throws SiteException {
        BuiltSite site = new SiteBuilder(siteRoot, BuildOptions.publishing(Instant.now())).build();
        if (!site.brokenLinks().isEmpty()) {
            throw site.brokenLinks().getFirst().toException();
        }
        return site;
    }

    /**
     * Builds the site, reusing what the previous build of this instance made from unchanged inputs. Broken
     * links are reported in the result (the caller decides whether they fail the build); any other problem
     * throws.
     */
    public BuiltSite build() throws SiteException {
        long begin = System.nanoTime();
        SiteConfig config = SiteConfig.load(siteRoot);
        useSettingsOf(config);
        String key = themeKey(config);
        if (!key.equals(themeKey)) {
            pageCache.clear();
            themeKey = key;
            theme = Theme.withOverrides(overrideDirs(config)); // its templates are parsed again, once
        }
        var settings = new PostSettings(config.zone(), config.permalink(), "posts", config.kind() != SiteKind.MORGANA, false);
        List<SourceFile> files = postFiles(config.kind());
        progress.accept(String.format("settings and listing in %d ms", millisSince(begin)));
        var read = new int[] {0};
        long start = System.nanoTime();
        List<CachedPost> loaded = withoutNulls(Parallel.map(files, file -> loadPost(file, settings, config.kind(), read)));
        progress.accept(String.format("%d posts (%d read and rendered) in %d ms", files.size(), read[0], millisSince(start)));
        List<SourceFile> pageFiles = pageFiles(config.kind());
        List<CachedPost> loadedPages = withoutNulls(Parallel.map(pageFiles, file -> loadPost(file, settings.forPages(), config.kind(), read)));
        var known = new HashSet<Path>();
        files.forEach(f -> known.add(f.path()));
        pageFiles.forEach(f -> known.add(f.path()));
        postCache.keySet().retainAll(known);

        var warnings = new ArrayList<BuildWarning>();
        var published = new ArrayList<RenderedPost>();
        var byUrl = new HashMap<String, Post>();
        var standalone = new ArrayList<RenderedPost>();
        for (CachedPost cached : concat(loaded, loadedPages)) {
            warnings.addAll(cached.warnings());
            Post post = cached.post();
            boolean page = cached.settings().standalone();
            if ((post.draft() && !options.drafts())
                    || (!page && post.published().isAfter(options.now()) && !options.future())) {
                continue;
            }
            Post other = byUrl.putIfAbsent(post.urlPath(), post);
            if (other != null) {
                throw new SiteException(post.source(), 1, "has the permalink " + post.urlPath() + ", like "
                        + other.source() + "; both would be served there: rename one or set slug: or permalink: in"
                        + " its front matter");
            }
            (page ? standalone : published).add(cached.rendered());
            viewCache.putIfAbsent(cached.rendered(), cached.view());
        }
        published.sort(Comparator.comparing(RenderedPost::post, Post.NEWEST_FIRST));

        byte[] stylesheet = stylesheet(theme);
        String stylesheetPath = "/style." + fingerprint(stylesheet) + ".css";
        Map<String, BundleEntry> staticEntries = staticFiles(config.kind());
        var assetSources = new LinkedHashMap<>(staticEntries);
        assetSources.remove(SitePlan.STYLESHEET_PATH); // the site's own style.css is fingerprinted as the theme's
        AssetNames assets = config.flag("fingerprint", true) ? AssetNames.of(assetSources) : AssetNames.none();
        boolean minify = config.flag("minify_html", false);

        // The post pages are rendered on the other cores while this one plans the pages that list them.
        var plan = new SitePlan(config, theme, stylesheetPath, options.liveReload(), viewCache, listings);
        long planning = System.nanoTime();
        int before = pageCache.rendered();
        Parallel.Step<PageCache.Page, BundleEntry> make = page -> pageCache.entryFor(page, assets, minify);
        List<PageCache.Page> postPages = plan.postPages(published, standalone);
        Parallel.Running<BundleEntry> renderingPostPages = Parallel.start(postPages, make);
        List<PageCache.Page> listingPages;
        try {
            listingPages = plan.listingPages(published, standalone);
        } catch (RuntimeException | Error e) {
            renderingPostPages.cancel();
            throw e;
        }
        int pageCount = postPages.size() + listingPages.size();
        progress.accept(String.format("planned %d pages in %d ms", pageCount, millisSince(planning)));

        var entries = new LinkedHashMap<String, BundleEntry>();
        start = System.nanoTime();
        for (BundleEntry entry : renderingPostPages.join()) {
            entries.put(entry.path(), entry);
        }
        for (BundleEntry entry : Parallel.map(listingPages, make)) {
            entries.put(entry.path(), entry);
        }
        pageCache.retainOnly(entries.keySet());
        int rendered = pageCache.rendered() - before;
        progress.accept(String.format("%d pages (%d rendered and compressed) in %d ms", pageCount, rendered, millisSince(start)));
        BundleEntry stylesheetEntry = stylesheetEntry(stylesheetPath, stylesheet);
        entries.put(stylesheetPath, stylesheetEntry);
        entries.put(SitePlan.STYLESHEET_PATH, stylesheetEntry.withPath(SitePlan.STYLESHEET_PATH));
        if (options.liveReload()) {
            entries.put(LIVE_RELOAD_SCRIPT, BundleEntry.of(LIVE_RELOAD_SCRIPT, ContentTypes.forPath(LIVE_RELOAD_SCRIPT),
                    LIVE_RELOAD_SOURCE.getBytes(StandardCharsets.UTF_8)));
        }
        addStaticFiles(staticEntries, entries);
        addStaticFiles(assets.fingerprintedEntries(assetSources), entries);
        addAliases(concat(published, standalone), entries);

        long assembling = System.nanoTime();
        SiteBundle bundle = SiteBundle.of(entries.values());
        List<LinkChecker.BrokenLink> broken = checkLinks(concat(published, standalone), bundle, config.kind());
        warnings.sort(Comparator.comparing((BuildWarning w) -> w.file().toString()).thenComparingInt(BuildWarning::line));
        progress.accept(String.format("bundle and link check in %d ms", millisSince(assembling)));
        var stats = new BuildStats(read[0], read[0], rendered, pageCount - rendered);
        return new BuiltSite(config, published.stream().map(RenderedPost::post).toList(), bundle, warnings, broken, stats);
    }

    /**
     * The broken links of these posts in {@code bundle}. A post checked before against a bundle with the same
     * paths has the same broken links, so only new or edited posts are checked when no path came or went.
     */
    private List<LinkChecker.BrokenLink> checkLinks(List<RenderedPost> posts, SiteBundle bundle, SiteKind kind) {
        boolean samePaths = checkedPaths.equals(bundle.byPath().keySet());
        var results = new java.util.IdentityHashMap<RenderedPost, List<LinkChecker.BrokenLink>>();
        List<RenderedPost> unchecked = samePaths ? posts.stream().filter(p -> !linkChecks.containsKey(p)).toList() : posts;
        List<List<LinkChecker.BrokenLink>> checked = Parallel.mapUnchecked(unchecked, // a cold build checks every post
                post -> LinkChecker.check(post.post(), post.rendered().links(), bundle, () -> linkLines(post, kind)));
        for (int i = 0; i < unchecked.size(); i++) {
            results.put(unchecked.get(i), checked.get(i));
        }
        var broken = new ArrayList<LinkChecker.BrokenLink>();
        for (RenderedPost post : posts) {
            List<LinkChecker.BrokenLink> found = results.computeIfAbsent(post, linkChecks::get);
            broken.addAll(found);
        }
        linkChecks.clear();
        linkChecks.putAll(results);
        if (!samePaths) {
            checkedPaths = new HashSet<>(bundle.byPath().keySet());
        }
        return broken;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** The first 10 hex digits of the content's SHA-256: a new name whenever the content changes. */
    static String fingerprint(byte[] content) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private List<Path> overrideDirs(SiteConfig config) {
        return config.kind() == SiteKind.MORGANA
                ? List.of(siteRoot.resolve("layouts"), siteRoot.resolve("templates"))
                : List.of(siteRoot.resolve("templates"));
    }

    /** The settings and the override templates, as a key: when it changes, no rendered page can be reused. */
    private String themeKey(SiteConfig config) throws SiteException {
        var key = new StringBuilder(config.raw().toString()).append(config.kind()).append(options);
        for (Path dir : overrideDirs(config)) {
            for (SourceFile file : walk(dir, p -> true)) {
                key.append(file.path()).append(file.stamp());
            }
        }
        return key.toString();
    }

    /** The stylesheet's entry, compressed again only when its fingerprinted path (so its content) changed. */
    private BundleEntry stylesheetEntry(String path, byte[] stylesheet) {
        if (lastStylesheet == null || !lastStylesheet.path().equals(path)) {
            lastStylesheet = BundleEntry.of(path, ContentTypes.CSS, stylesheet);
        }
        return lastStylesheet;
    }

    private byte[] stylesheet(Theme theme) throws SiteException {
        Path own = siteRoot.resolve(STATIC_DIR).resolve(Theme.STYLESHEET);
        return Files.isRegularFile(own) ? readBytes(own) : theme.asset(Theme.STYLESHEET);
    }

    /** The post of {@code source}, read again only when its stamp changed; null when it is not a regular file. */
    private CachedPost loadPost(SourceFile source, PostSettings settings, SiteKind kind, int[] read) throws SiteException {
        Path file = source.path();
        FileStamp stamp = source.stamp() != null ? source.stamp() : regularFileStamp(file);
        if (stamp == null) {
            return null;
        }
        CachedPost cached = postCache.get(file);
        if (cached != null && cached.stamp().equals(stamp) && cached.settings().equals(settings)) {
            return cached;
        }
        synchronized (read) {
            read[0]++;
        }
        Post post = PostParser.parse(file, readUtf8(file), settings);
        var warnings = new ArrayList<BuildWarning>();
        MarkdownRenderer.Rendered html = markdown.render(markdownOf(post, kind, warnings), post.bodyFirstLine());
        Post kept = post.withoutMarkdown();
        RenderedPost rendered = RenderedPost.of(kept, html);
        CachedPost fresh = new CachedPost(stamp, settings, kept, rendered, PostView.of(rendered),
                warnings);
        postCache.put(file, fresh);
        return fresh;
    }

    /**
     * Renders Markdown as {@code config} asks ({@code smart_punctuation}); when that changed since the last build,
     * every post is rendered again.
     */
    private void useSettingsOf(SiteConfig config) throws SiteException {
        boolean smart = config.flag("smart_punctuation", false);
        if (smart != markdown.smartPunctuation()) {
            markdown = new MarkdownRenderer(smart);
            postCache.clear();
        }
    }

    /** The Markdown that {@code post}'s body renders from: Jekyll's Liquid tags degraded, with a warning for each. */
    private static String markdownOf(Post post, SiteKind kind, List<BuildWarning> warnings) {
        String body = post.markdown();
        if (kind == SiteKind.JEKYLL && LiquidTags.mayContainLiquid(body)) {
            LiquidTags.Result liquid = LiquidTags.degrade(body, post.bodyFirstLine());
            liquid.warnings().forEach(w -> warnings.add(new BuildWarning(post.source(), w.line(), w.message())));
            body = liquid.markdown();
        }
        return body;
    }

    /**
     * The file lines of the link and image targets of {@code post}, in document order. A build keeps no source
     * positions (parsing is faster without them), so this reads and parses the post again, as {@link #loadPost}
     * did; only a post with a broken link gets here. Should the file have changed meanwhile, a link whose target
     * is no longer at its place is given the first line of the body.
     */
    private int[] linkLines(RenderedPost post, SiteKind kind) {
        Post kept = post.post();
        List<String> targets = post.rendered().links();
        int[] lines = new int[targets.size()];
        java.util.Arrays.fill(lines, kept.bodyFirstLine());
        CachedPost cached = postCache.get(kept.source());
        if (cached == null) {
            return lines;
        }
        try {
            Post again = PostParser.parse(kept.source(), readUtf8(kept.source()), cached.settings());
            var located = markdown.locateLinks(markdownOf(again, kind, new ArrayList<>()), again.bodyFirstLine());
            for (int i = 0; i < lines.length && i < located.size(); i++) {
                if (located.get(i).destination().equals(targets.get(i))) {
                    lines[i] = located.get(i).line();
                }
            }
        } catch (SiteException e) {
            // gone or broken since it was rendered: the next build reports that; the lines stay approximate
        }
        return lines;
    }

    /** Every Markdown file in the kind's post folders (Hugo: page bundles too), in path order. */
    private List<SourceFile> postFiles(SiteKind kind) throws SiteException {
        return markdownFiles(kind.postDirs(), false);
    }

    /** Stand-alone pages: Markdown files directly in the kind's page folders ({@code pages/about.md} -> /about/). */
    private List<SourceFile> pageFiles(SiteKind kind) throws SiteException {
        return markdownFiles(kind.pageDirs(), true);
    }

    private List<SourceFile> markdownFiles(List<String> dirs, boolean topLevelOnly) throws SiteException {
        var files = new ArrayList<SourceFile>();
        for (String dir : dirs) {
            Path root = siteRoot.resolve(dir);
            java.util.function.Predicate<String> markdownName = name ->
                    (name.endsWith(".md") || name.endsWith(".markdown")) && !name.startsWith("_");
            files.addAll(hasNoSubfolders(root)
                    ? listByName(root, name -> markdownName.test(name) && !isHiddenName(name))
                    : walk(root, p -> markdownName.test(p.getFileName().toString()) && !isHidden(root.relativize(p))
                            && (!topLevelOnly || p.getParent().equals(root))));
        }
        return files;
    }

    /**
     * Whether a folder has no subfolder: a link count of 2 (its own name and its "."), which ext4, XFS and tmpfs
     * keep; a file system that does not (btrfs says 1) is walked. A folder of 10 000 posts is then listed by name
     * without a stat per file in the walk (a tenth of a second, on one thread): each is stat'ed when loaded.
     */
    private static boolean hasNoSubfolders(Path dir) {
        try {
            return Files.getAttribute(dir, "unix:nlink") instanceof Integer links && links == 2;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The entries of {@code dir} whose names {@code keep} takes, in path order, not stat'ed (see {@link SourceFile}):
     * names listed and sorted as strings, and only the kept ones made paths (a fifth of the time of a directory
     * stream of 10 000 paths, each tested as a path, early in a build, before anything is compiled).
     */
    private static List<SourceFile> listByName(Path dir, java.util.function.Predicate<String> keep) throws SiteException {
        String[] names = dir.toFile().list();
        if (names == null) { // File.list does not say why: the directory stream's exception does
            try (var ignored = Files.newDirectoryStream(dir)) {
                throw new SiteException(dir, 0, "cannot be read");
            } catch (IOException e) {
                throw new SiteException(dir, 0, "cannot be read: " + e.getMessage(), e);
            }
        }
        java.util.Arrays.sort(names);
        var found = new ArrayList<SourceFile>(names.length);
        for (String name : names) {
            if (keep.test(name)) {
                found.add(new SourceFile(dir.resolve(name), null));
            }
        }
        found.sort(Comparator.comparing(SourceFile::path)); // the order of the walk, where names are not ASCII
        return found;
    }

    /** The stamp of a file listed by name, following a link as the walk does; null when it is no regular file. */
    private static FileStamp regularFileStamp(Path file) throws SiteException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // a broken link, or gone since the listing
        } catch (IOException e) {
            throw new SiteException(file, 0, "cannot be read: " + e.getMessage(), e);
        }
        return attributes.isRegularFile() ? new FileStamp(attributes.size(), attributes.lastModifiedTime().toInstant()) : null;
    }

    private static <T> List<T> withoutNulls(List<T> items) {
        return items.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        var all = new ArrayList<T>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /**
     * The regular files under {@code dir} that {@code keep} takes, in path order, each with the size and time the
     * walk read (one stat a file: a rebuild of 10 000 posts walks them all). A link is taken when it leads to a
     * regular file, with that file's size and time; links to folders are not followed.
     */
    private static List<SourceFile> walk(Path dir, java.util.function.Predicate<Path> keep) throws SiteException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        var found = new ArrayList<SourceFile>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    BasicFileAttributes target = attributes.isSymbolicLink() && Files.isRegularFile(file)
                            ? Files.readAttributes(file, BasicFileAttributes.class) : attributes;
                    if (target.isRegularFile() && keep.test(file)) {
                        found.add(new SourceFile(file, new FileStamp(target.size(), target.lastModifiedTime().toInstant())));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new SiteException(dir, 0, "cannot be read: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(SourceFile::path));
        return found;
    }

    /** The static files of the site by path, as served (Jekyll: under their folder's name). */
    private Map<String, BundleEntry> staticFiles(SiteKind kind) throws SiteException {
        var seen = new HashSet<Path>();
        var entries = new LinkedHashMap<String, BundleEntry>();
        for (String dir : kind.staticDirs()) {
            Path staticDir = siteRoot.resolve(dir);
            String prefix = kind == SiteKind.JEKYLL ? "/" + staticDir.getFileName() : "";
            for (SourceFile source : walk(staticDir, p -> !isHidden(staticDir.relativize(p)))) {
                Path file = source.path();
                seen.add(file);
                var path = new StringBuilder(prefix);
                for (Path segment : staticDir.relativize(file)) {
                    path.append('/').append(segment);
                }
                String urlPath = path.toString();
                FileStamp stamp = source.stamp();
                var cached = staticCache.get(file);
                if (cached != null && cached.getKey().equals(stamp) && cached.getValue().path().equals(urlPath)) {
                    entries.put(urlPath, cached.getValue());
                    continue;
                }
                try {
                    BundleEntry entry = BundleEntry.of(urlPath, ContentTypes.forPath(urlPath), readBytes(file));
                    staticCache.put(file, Map.entry(stamp, entry));
                    entries.put(urlPath, entry);
                } catch (IllegalArgumentException e) {
                    throw new SiteException(file, "cannot be served: " + e.getMessage());
                }
            }
        }
        staticCache.keySet().retainAll(seen);
        return entries;
    }

    /** Adds static files to the generated entries, which they may not replace (but the site's own style.css). */
    private void addStaticFiles(Map<String, BundleEntry> files, Map<String, BundleEntry> entries) throws SiteException {
        for (BundleEntry file : files.values()) {
            BundleEntry existing = entries.get(file.path());
            if (existing != null && !file.path().equals(SitePlan.STYLESHEET_PATH) && !existing.etag().equals(file.etag())) {
                throw new SiteException(sourceOf(file.path()), "would replace the generated " + file.path()
                        + "; remove or rename it");
            }
            entries.put(file.path(), file);
        }
    }

    /** The static file served at {@code urlPath}, for error messages. */
    private Path sourceOf(String urlPath) {
        return staticCache.entrySet().stream().filter(e -> e.getValue().getValue().path().equals(urlPath))
                .map(Map.Entry::getKey).findFirst().orElse(siteRoot.resolve(STATIC_DIR));
    }

    /**
     * A redirect entry for each alias of each post, added last so that an alias can hide nothing: a page, a
     * static file or another alias at the same address is an error naming the post.
     */
    private static void addAliases(List<RenderedPost> posts, Map<String, BundleEntry> entries) throws SiteException {
        for (RenderedPost rendered : posts) {
            Post post = rendered.post();
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
            if (isHiddenName(segment.toString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHiddenName(String name) {
        return name.startsWith(".") && !name.equals(".well-known");
    }

    private static byte[] readBytes(Path file) throws SiteException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SiteException(file, 0, "cannot be read: " + e.getMessage(), e);
        }
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
