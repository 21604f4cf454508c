package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteBuilderTest {

    @TempDir
    Path root;

    private static String text(SiteBundle bundle, String path) {
        return new String(bundle.find(path).orElseThrow().body(), StandardCharsets.UTF_8);
    }

    /** The command line warms the native libraries and the parser up while it parses its arguments. */
    @Test
    void theWarmUpFinishesAndABuildAfterItIsTheSame(@TempDir Path dir) throws Exception {
        Path site = TestSite.sample(dir).root();
        SiteBundle before = SiteBuilder.build(site);
        Thread warmUp = SiteBuilder.warmUpInBackground();
        warmUp.join(60_000);
        assertThat(warmUp.isAlive()).isFalse();
        assertThat(SiteBuilder.build(site).bundleHash()).isEqualTo(before.bundleHash());
    }

    @Test
    void buildsIndexPostTagArchivePagesStylesheetFeedsAndNotFoundPage() throws SiteException {
        SiteBundle bundle = SiteBuilder.build(TestSite.sample(root).root());

        assertThat(bundle.byPath().keySet().stream().map(p -> p.replaceAll("\\.[0-9a-f]{10}\\.", ".HASH.")))
                .containsExactly(
                "/404.html",
                "/archives/2026/index.html",
                "/archives/index.html",
                "/feed.xml",
                "/images/fin.HASH.svg",
                "/images/fin.svg",
                "/index.html",
                "/posts/first-light/index.html",
                "/posts/index.html",
                "/posts/minnesota-goodbye/index.html",
                "/posts/tables-and-tcp/index.html",
                "/robots.txt",
                "/sitemap.xml",
                "/style.HASH.css",
                "/style.css",
                "/tags/http/index.html",
                "/tags/index.html",
                "/tags/meta/index.html",
                "/tags/tcp/index.html");
        assertThat(bundle.find("/style.css").orElseThrow().contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(bundle.find("/images/fin.svg").orElseThrow().contentType()).isEqualTo("image/svg+xml");
        assertThat(text(bundle, "/posts/minnesota-goodbye/"))
                .contains("<title>The Minnesota goodbye – Test Blog</title>")
                .contains("<h1>The Minnesota goodbye</h1>")
                .contains("<table>")
                .contains("<a href=\"/posts/first-light/\">the first post</a>")
                .contains("<code class=\"language-java\">channel.close();");
    }

    @Test
    void indexListsPublishedPostsNewestFirstWithEscapedTitles() throws SiteException {
        SiteBundle bundle = SiteBuilder.build(TestSite.sample(root).root());
        String index = text(bundle, "/");

        assertThat(index).doesNotContain("Unfinished");
        assertThat(index.indexOf("/posts/minnesota-goodbye/"))
                .isLessThan(index.indexOf("/posts/tables-and-tcp/"));
        assertThat(index.indexOf("/posts/tables-and-tcp/")).isLessThan(index.indexOf("/posts/first-light/"));
        assertThat(index).contains("Tables &amp; TCP &lt;options&gt;").doesNotContain("TCP <options>");
        assertThat(index).contains("<time datetime=\"2026-03-14\">14 March 2026</time>");
        assertThat(index).contains("The first post.").contains("A server that never sent FIN.");
        assertThat(index).contains("<a class=\"site-title\" href=\"/\">Test Blog</a>");
    }

    @Test
    void draftsAreNotPublished() throws SiteException {
        SiteBuilder.BuiltSite site = SiteBuilder.buildSite(TestSite.sample(root).root());

        assertThat(site.posts()).extracting(Post::slug)
                .containsExactly("minnesota-goodbye", "tables-and-tcp", "first-light");
        assertThat(site.bundle().find("/posts/unfinished/")).isEmpty();
        assertThat(text(site.bundle(), "/feed.xml")).doesNotContain("Unfinished");
    }

    @Test
    void feedHasAbsoluteLinksAndEscapedContent() throws SiteException {
        String feed = text(SiteBuilder.build(TestSite.sample(root).root()), "/feed.xml");

        assertThat(feed).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .contains("<link rel=\"alternate\" type=\"text/html\" href=\"http://127.0.0.1:8080/posts/first-light/\"/>")
                .contains("<updated>2026-03-14T00:00:00Z</updated>")
                .contains("&lt;strong&gt;Morgana&lt;/strong&gt;");
    }

    @Test
    void sameSiteGivesTheSameBundleBytesAndHash() throws SiteException {
        SiteBundle first = SiteBuilder.build(TestSite.sample(root).root());
        SiteBundle second = SiteBuilder.build(root);

        assertThat(second.toBytes()).isEqualTo(first.toBytes());
        assertThat(second.bundleHash()).isEqualTo(first.bundleHash());
    }

    @Test
    void editingAPostChangesTheBundleHash() throws SiteException {
        String before = SiteBuilder.build(TestSite.sample(root).root()).bundleHash();
        TestSite.in(root).post("tables-and-tcp.md", "---\ntitle: Tables\ndate: 2026-03-10\n---\nEdited.\n");

        assertThat(SiteBuilder.build(root).bundleHash()).isNotEqualTo(before);
    }

    @Test
    void aliasesBecomeRedirectEntriesThatLinksMayUse() throws SiteException {
        TestSite.in(root)
                .post("a.md", "---\ntitle: A\ndate: 2026-03-01\naliases: [/2013/09/a.html, /old/a/]\n---\nA.\n")
                .post("b.md", "---\ntitle: B\ndate: 2026-03-02\n---\nSee [a](/2013/09/a.html).\n");
        SiteBundle bundle = SiteBuilder.build(root);

        BundleEntry old = bundle.find("/2013/09/a.html").orElseThrow();
        assertThat(old.contentType()).isEqualTo(ContentTypes.REDIRECT);
        assertThat(text(bundle, "/2013/09/a.html")).isEqualTo("/posts/a/");
        assertThat(text(bundle, "/old/a/")).isEqualTo("/posts/a/");
    }

    @Test
    void anAliasMayNotHideAPageOrAnotherAlias() {
        TestSite.in(root).post("a.md", "---\ntitle: A\ndate: 2026-03-01\naliases: [/posts/b/]\n---\nA.\n")
                .post("b.md", "---\ntitle: B\ndate: 2026-03-02\n---\nB.\n");
        assertThatThrownBy(() -> SiteBuilder.build(root))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining("a.md")
                .hasMessageContaining("has the alias /posts/b/, which is already a page or file of the site");

        TestSite.in(root).post("b.md", "---\ntitle: B\ndate: 2026-03-02\naliases: [/x.html]\n---\nB.\n")
                .post("a.md", "---\ntitle: A\ndate: 2026-03-01\naliases: [/x.html]\n---\nA.\n");
        assertThatThrownBy(() -> SiteBuilder.build(root))
                .hasMessageContaining("has the alias /x.html, which is already another alias, of /posts/");
    }

    @Test
    void linkToAMissingPostFailsAtItsLine() {
        TestSite.in(root).post("a.md", "---\ntitle: A\ndate: 2026-03-01\n---\nIntro.\n\nSee [b](/posts/b/).\n");

        assertThatThrownBy(() -> SiteBuilder.build(root))
                .isInstanceOf(SiteException.class)
                .hasMessage(root.resolve("posts/a.md") + ":7: links to /posts/b/, which is not a page or file of this site");
    }

    @Test
    void missingImageFailsAndSlashlessPostLinkGetsAHint() {
        TestSite.in(root)
                .post("a.md", "---\ntitle: A\ndate: 2026-03-01\n---\n![x](/images/none.png)\n");
        assertThatThrownBy(() -> SiteBuilder.build(root)).hasMessageContaining("a.md:5: links to /images/none.png");

        TestSite.in(root)
                .post("a.md", "---\ntitle: A\ndate: 2026-03-01\n---\n[self](/posts/a)\n");
        assertThatThrownBy(() -> SiteBuilder.build(root)).hasMessageContaining("did you mean /posts/a/ ?");
    }

    @Test
    void externalLinksAndFragmentsAreNotChecked() throws SiteException {
        TestSite.in(root).post("a.md", """
                ---
                title: A
                date: 2026-03-01
                ---
                [rfc](https://www.rfc-editor.org/rfc/rfc9293) [mail](mailto:a@example.org) [top](#top)
                [self](/posts/a/#section) [feed](/feed.xml?x=1)
                """);

        assertThat(SiteBuilder.build(root).find("/posts/a/")).isPresent();
    }

    @Test
    void twoPostsWithOneSlugAreAnError() {
        TestSite.in(root)
                .post("2026-01-01-hello.md", "---\ntitle: A\ndate: 2026-01-01\n---\n")
                .post("2026-02-01-hello.md", "---\ntitle: B\ndate: 2026-02-01\n---\n");

        assertThatThrownBy(() -> SiteBuilder.build(root))
                .hasMessageContaining("2026-02-01-hello.md:1: has the permalink /posts/hello/")
                .hasMessageContaining("2026-01-01-hello.md");
    }

    @Test
    void staticFileMayNotHideAGeneratedPageButMayReplaceTheStylesheet() throws SiteException {
        TestSite.in(root).file("static/style.css", "body { color: red }\n");
        assertThat(text(SiteBuilder.build(root), "/style.css")).isEqualTo("body { color: red }\n");

        TestSite.in(root).file("static/index.html", "<p>mine</p>");
        assertThatThrownBy(() -> SiteBuilder.build(root))
                .hasMessageContaining("static/index.html: would replace the generated /index.html");
    }

    @Test
    void dotFilesInStaticAreNotPublished() throws SiteException {
        TestSite.in(root)
                .file("static/.DS_Store", "junk")
                .file("static/.well-known/security.txt", "Contact: mailto:a@example.org\n");

        SiteBundle bundle = SiteBuilder.build(root);
        assertThat(bundle.find("/.DS_Store")).isEmpty();
        assertThat(bundle.find("/.well-known/security.txt")).map(BundleEntry::contentType)
                .hasValue("text/plain; charset=utf-8");
    }

    @Test
    void frontMatterErrorsSurfaceFromTheBuild() {
        TestSite.in(root).post("bad.md", "---\ntitle: [unclosed\ndate: 2026-01-01\n---\n");

        assertThatThrownBy(() -> SiteBuilder.build(root))
                .isInstanceOf(SiteException.class)
                .hasMessageMatching(".*posts/bad\\.md:[2-4]: invalid YAML: .*");
    }

    @Test
    void thePostsSectionListsEveryPostUnlessAPageOfTheSiteIsThere() throws Exception {
        TestSite site = TestSite.sample(root);
        String section = text(SiteBuilder.build(site.root()), "/posts/");
        assertThat(section).contains("<title>Posts – Test Blog</title>").contains("<h1>Posts</h1>")
                .contains("href=\"/posts/first-light/\"").contains("href=\"/posts/minnesota-goodbye/\"")
                .contains("href=\"/posts/tables-and-tcp/\"");
        assertThat(text(SiteBuilder.build(site.root()), "/sitemap.xml")).contains("/posts/</loc>");

        site.file("pages/posts.md", "---\ntitle: All my writing\n---\nA page of my own.\n");
        assertThat(text(SiteBuilder.build(site.root()), "/posts/")).contains("A page of my own.").doesNotContain("<h1>Posts</h1>");
    }

    @Test
    void siteWithoutPostsStillHasAnIndex() throws SiteException {
        SiteBundle bundle = SiteBuilder.build(TestSite.in(root).root());

        assertThat(text(bundle, "/")).contains("No posts yet.");
    }

    @Test
    void postThatIsNotUtf8IsNamed() throws Exception {
        TestSite.in(root).bytes("posts/latin1.md", "---\ntitle: caf\u00e9\n---\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> SiteBuilder.build(root)).hasMessageContaining("latin1.md: is not valid UTF-8");
        assertThat(Files.exists(root.resolve("posts/latin1.md"))).isTrue();
    }

    @Test
    void minifyHtmlPutsPagesOnOneLineWithTheSameTextAndCodeBlocksIntact() throws Exception {
        SiteBundle plain = SiteBuilder.build(TestSite.sample(root).root());
        TestSite.in(root).file("morgana.yaml", TestSite.CONFIG + "minify_html: true\n");
        SiteBundle minified = SiteBuilder.build(root);

        for (String path : java.util.List.of("/", "/posts/minnesota-goodbye/", "/tags/", "/archives/")) {
            String before = text(plain, path);
            String after = text(minified, path);
            assertThat(after.length()).as(path).isLessThan(before.length());
            assertThat(after.replaceAll("(?s)<pre.*?</pre>", "")).as(path).doesNotContain("\n");
            assertThat(visibleText(after)).as(path).isEqualTo(visibleText(before));
        }
        assertThat(text(minified, "/posts/minnesota-goodbye/")).contains("<code class=\"language-java\">channel.close();\n</code>");
        assertThat(text(minified, "/feed.xml")).isEqualTo(text(plain, "/feed.xml"));
    }

    /** The text a reader sees, roughly: tags and comments removed, whitespace runs as one space. */
    private static String visibleText(String html) {
        return html.replaceAll("(?s)<!--.*?-->", "").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip();
    }

    @Test
    void aPostsFolderWithoutSubfoldersPublishesItsRegularMarkdownFilesOnly() throws Exception {
        TestSite.in(root).post("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nx\n");
        Path posts = root.resolve("posts");
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(posts.resolve("folder.md"), elsewhere);
        Files.createSymbolicLink(posts.resolve("gone.md"), root.resolve("missing.md"));
        Files.writeString(posts.resolve(".hidden.md"), "not a post");
        Files.writeString(posts.resolve("_draft.md"), "not a post either");

        SiteBuilder.BuiltSite site = new SiteBuilder(root, BuildOptions.publishing(java.time.Instant.now())).build();

        assertThat(site.posts()).extracting(Post::title).containsExactly("A");
    }

    @Test
    void aFolderNamedLikeAPostIsWalkedIntoAsBefore() throws Exception {
        TestSite.in(root).post("a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nx\n");
        Path folder = Files.createDirectories(root.resolve("posts").resolve("old.md"));
        Files.writeString(folder.resolve("b.md"), "---\ntitle: B\ndate: 2026-01-02\n---\ny\n");

        SiteBuilder.BuiltSite site = new SiteBuilder(root, BuildOptions.publishing(java.time.Instant.now())).build();

        assertThat(site.posts()).extracting(Post::title).containsExactly("B", "A");
    }
}
