package morgana.blog.site;

import static morgana.blog.site.FixtureSites.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages a site gets besides its posts: index pages, tags, categories, archives, sitemap, robots.txt. */
class SiteModelTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path root;

    private TestSite numbered(int count) {
        TestSite site = TestSite.in(root).file("morgana.yaml", TestSite.CONFIG + "paginate: 3\n");
        for (int i = 1; i <= count; i++) {
            site.post(String.format("p%02d.md", i), "---\ntitle: Post " + i + "\ndate: 2025-0" + (i % 2 + 1)
                    + "-" + String.format("%02d", i) + "\ntags: [" + (i % 2 == 0 ? "even" : "odd") + ", All]\n"
                    + "categories: [Numbers]\n---\nText of post " + i + ".\n");
        }
        return site;
    }

    private SiteBuilder.BuiltSite build(BuildOptions options) throws SiteException {
        return new SiteBuilder(root, options).build();
    }

    @Test
    void indexIsPaginatedWithLinksBetweenPages() throws SiteException {
        numbered(7);
        var site = build(BuildOptions.publishing(NOW));

        assertThat(site.bundle().find("/page/3/")).isPresent();
        assertThat(site.bundle().find("/page/4/")).isEmpty();
        assertThat(text(site.bundle(), "/")).contains("Page 1 of 3", "href=\"/page/2/\"").doesNotContain("rel=\"prev\"");
        assertThat(text(site.bundle(), "/page/2/")).contains("rel=\"prev\" href=\"/\"", "rel=\"next\" href=\"/page/3/\"");
        assertThat(text(site.bundle(), "/page/3/")).contains("Post 2<").doesNotContain("rel=\"next\"");
    }

    @Test
    void tagsAndCategoriesHaveAnIndexAndAPagePerTerm() throws SiteException {
        numbered(4);
        var site = build(BuildOptions.publishing(NOW));

        assertThat(text(site.bundle(), "/tags/")).contains("<a href=\"/tags/all/\">All</a> <span class=\"count\">(4)</span>",
                "<a href=\"/tags/even/\">even</a> <span class=\"count\">(2)</span>");
        assertThat(text(site.bundle(), "/tags/even/")).contains("Post 2<", "Post 4<").doesNotContain("Post 1<");
        assertThat(text(site.bundle(), "/categories/numbers/")).contains("Post 1<", "Post 4<");
        assertThat(text(site.bundle(), "/posts/p02/")).contains("<a href=\"/tags/even/\">even</a>",
                "<a href=\"/categories/numbers/\">Numbers</a>");
    }

    @Test
    void archivesListPostsByYearWithAPagePerYear() throws SiteException {
        TestSite.in(root)
                .post("a.md", "---\ntitle: Old one\ndate: 2019-05-01\n---\nx\n")
                .post("b.md", "---\ntitle: New one\ndate: 2025-05-01\n---\nx\n");
        var site = build(BuildOptions.publishing(NOW));

        String archives = text(site.bundle(), "/archives/");
        assertThat(archives.indexOf("2025")).isLessThan(archives.indexOf("2019"));
        assertThat(text(site.bundle(), "/archives/2019/")).contains("Old one").doesNotContain("New one");
    }

    @Test
    void draftsAndFuturePostsAreLeftOutUnlessAskedFor() throws SiteException {
        TestSite.in(root)
                .post("now.md", "---\ntitle: Today\ndate: 2026-05-31\n---\nx\n")
                .post("later.md", "---\ntitle: Tomorrow\ndate: 2026-06-02T08:00:00+02:00\n---\nx\n")
                .post("draft.md", "---\ntitle: Sketch\ndate: 2026-01-01\ndraft: true\n---\nx\n");

        assertThat(build(BuildOptions.publishing(NOW)).posts()).extracting(Post::title).containsExactly("Today");
        assertThat(build(new BuildOptions(false, true, NOW, false)).posts()).extracting(Post::title)
                .containsExactly("Tomorrow", "Today");
        assertThat(build(new BuildOptions(true, false, NOW, false)).posts()).extracting(Post::title)
                .containsExactly("Today", "Sketch");
    }

    @Test
    void readingTimeUpdatedDateAndUnknownFrontMatterKeysReachTheTemplates() throws SiteException {
        TestSite.in(root)
                .file("layouts/post.html", "{{ post.title }}|{{ post.readingMinutes }}|{{ post.updatedHuman }}|"
                        + "{{ post.params.mood }}|{{ post.params.series.part }}")
                .post("long.md", "---\ntitle: Long\ndate: 2026-01-01\nupdated: 2026-02-03T10:00:00Z\nmood: calm\n"
                        + "series: {name: tcp, part: 2}\n---\n" + "word ".repeat(1000) + "\n");
        var site = build(BuildOptions.publishing(NOW));

        assertThat(text(site.bundle(), "/posts/long/")).isEqualTo("Long|5|3 February 2026|calm|2");
    }

    @Test
    void sitemapListsEveryPageWithAbsoluteUrlsAndRobotsPointsToIt() throws SiteException {
        numbered(2);
        var site = build(BuildOptions.publishing(NOW));

        assertThat(text(site.bundle(), "/sitemap.xml"))
                .startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
                .contains("<url><loc>http://127.0.0.1:8080/posts/p01/</loc><lastmod>2025-02-01T00:00:00Z</lastmod></url>")
                .contains("<url><loc>http://127.0.0.1:8080/</loc></url>")
                .contains("<url><loc>http://127.0.0.1:8080/tags/even/</loc></url>");
        assertThat(text(site.bundle(), "/robots.txt")).isEqualTo(
                "User-agent: *\nAllow: /\n\nSitemap: http://127.0.0.1:8080/sitemap.xml\n");
    }

    @Test
    void pagesFolderHoldsStandAlonePagesWithoutDatesThatPostsMayLinkTo() throws SiteException {
        TestSite.in(root)
                .file("pages/about.md", "---\ntitle: About me\n---\nWho writes here.\n")
                .file("pages/draft-page.md", "---\ntitle: Later\ndraft: true\n---\nx\n")
                .post("p.md", "---\ntitle: P\ndate: 2026-01-01\n---\nSee [about](/about/).\n");
        var site = build(BuildOptions.publishing(NOW));

        assertThat(text(site.bundle(), "/about/")).contains("<h1>About me</h1>", "Who writes here.");
        assertThat(site.bundle().find("/draft-page/")).isEmpty();
        assertThat(site.brokenLinks()).isEmpty();
        assertThat(text(site.bundle(), "/")).doesNotContain("About me");
    }

    @Test
    void sitePermalinkPatternPlacesEveryPost() throws SiteException {
        TestSite.in(root).file("morgana.yaml", TestSite.CONFIG + "permalink: /:year/:month/:slug.html\n")
                .post("2026-03-14-hello.md", "---\ntitle: Hello\ndate: 2026-03-14\n---\nx\n")
                .post("other.md", "---\ntitle: Other\ndate: 2026-03-15\npermalink: /about/\n---\nSee [hello](/2026/03/hello.html).\n");
        var site = build(BuildOptions.publishing(NOW));

        assertThat(site.bundle().find("/2026/03/hello.html")).isPresent();
        assertThat(site.bundle().find("/about/")).isPresent();
        assertThat(site.brokenLinks()).isEmpty();
    }

    @Test
    void stylesheetIsServedUnderItsContentHashAndPagesLinkToThatName() throws SiteException {
        numbered(1);
        var site = build(BuildOptions.publishing(NOW));

        String stylesheet = site.bundle().byPath().keySet().stream().filter(p -> p.matches("/style\\.[0-9a-f]{10}\\.css"))
                .findFirst().orElseThrow();
        assertThat(text(site.bundle(), "/")).contains("<link rel=\"stylesheet\" href=\"" + stylesheet + "\">");
    }
}
