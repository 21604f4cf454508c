package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code morgana check}'s engine, the skeleton of {@code morgana new} and the directory output of {@code build}. */
class SiteCheckTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path root;

    @Test
    void checkReportsEveryBadPostAndEveryDuplicatePermalinkNotJustTheFirst() {
        TestSite.sample(root)
                .post("bad-date.md", "---\ntitle: A\ndate: 2026-02-30\n---\nx\n")
                .post("bad-tags.md", "---\ntitle: B\ndate: 2026-01-01\ntags: {a: 1}\n---\nx\n")
                .post("2026-01-01-first-light.md", "---\ntitle: C\ndate: 2026-01-01\n---\nx\n");

        assertThat(new SiteBuilder(root, BuildOptions.publishing(NOW)).check())
                .extracting(e -> e.getMessage().replace(root + "/", ""))
                .containsExactlyInAnyOrder(
                        "posts/bad-date.md:3: date must be YYYY-MM-DD or an ISO date-time such as 2026-03-14T09:30:00Z, got \"2026-02-30\"",
                        "posts/bad-tags.md:4: tags must be a list, e.g. tags: [tcp, http], found a mapping",
                        "posts/2026-03-01-first-light.md:1: has the permalink /posts/first-light/, like "
                                + "posts/2026-01-01-first-light.md; set slug: or permalink: in one of them");
    }

    @Test
    void checkOfAGoodSiteReportsBrokenLinksOnlyAndOfAPerfectOneNothing() {
        TestSite.sample(root);
        assertThat(new SiteBuilder(root, BuildOptions.publishing(NOW)).check()).isEmpty();

        TestSite.in(root).post("x.md", "---\ntitle: X\ndate: 2026-01-01\n---\n[a](/nowhere/) ![b](/images/none.png)\n");
        assertThat(new SiteBuilder(root, BuildOptions.publishing(NOW)).check()).extracting(SiteException::problem)
                .containsExactly("links to /nowhere/, which is not a page or file of this site",
                        "links to /images/none.png, which is an image that is not a file of this site");
    }

    @Test
    void newSiteBuildsWithItsOnePostAndPassesTheCheck() throws Exception {
        Path site = root.resolve("blog");
        SiteSkeleton.create(site, "My \"quoted\" blog", "Jo", LocalDate.of(2026, 5, 1));

        var built = new SiteBuilder(site, BuildOptions.publishing(NOW)).build();
        assertThat(built.config().title()).isEqualTo("My \"quoted\" blog");
        assertThat(built.posts()).extracting(Post::title).containsExactly("Hello, world");
        assertThat(built.brokenLinks()).isEmpty();
        assertThat(new SiteBuilder(site, BuildOptions.publishing(NOW)).check()).isEmpty();
        assertThat(Files.readString(site.resolve("morgana.yaml"))).contains("# Where posts are served.");
        assertThatThrownBy(() -> SiteSkeleton.create(site, "t", "a", LocalDate.of(2026, 5, 1)))
                .hasMessageContaining("is not empty");
    }

    @Test
    void directoryOutputWritesEveryEntryAndAliasesAsRedirectPages() throws Exception {
        TestSite.sample(root).post("old.md", "---\ntitle: Old\ndate: 2026-01-01\naliases: [/2013/old.html]\n---\nx\n");
        var bundle = SiteBuilder.build(root);
        Path out = root.resolve("out");

        int files = DirectoryOutput.write(bundle, out);

        assertThat(files).isEqualTo(bundle.size());
        assertThat(Files.readString(out.resolve("posts/first-light/index.html"))).contains("<h1>First light</h1>");
        assertThat(Files.readString(out.resolve("2013/old.html")))
                .contains("<meta http-equiv=\"refresh\" content=\"0; url=/posts/old/\">");
    }
}
