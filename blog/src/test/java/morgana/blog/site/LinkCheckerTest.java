package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planted broken links and missing images are all found, each at its file and line. */
class LinkCheckerTest {

    @TempDir
    Path root;

    @Test
    void findsEveryPlantedBrokenLinkAndMissingImageWithItsLine() throws SiteException {
        TestSite.sample(root).post("2026-04-01-planted.md", """
                ---
                title: Planted
                date: 2026-04-01
                ---
                Fine: [first](/posts/first-light/), [tag](/tags/tcp/), [feed](/feed.xml), [out](https://example.org/x),
                [anchor](#top), [relative](../first-light/).

                Broken: [gone](/posts/gone/) and ![missing](/images/missing.png)

                [no slash](/posts/first-light) and [bad](http://[::1)
                """);
        var site = new SiteBuilder(root, BuildOptions.publishing(Instant.parse("2026-06-01T00:00:00Z"))).build();

        assertThat(site.brokenLinks()).extracting(b -> b.toException().getMessage().replace(root.toString(), "ROOT"))
                .containsExactly(
                        "ROOT/posts/2026-04-01-planted.md:8: links to /posts/gone/, which is not a page or file of this site",
                        "ROOT/posts/2026-04-01-planted.md:8: links to /images/missing.png, which is an image that is not a file of this site",
                        "ROOT/posts/2026-04-01-planted.md:10: links to /posts/first-light, which is not a page or file of this site (did you mean /posts/first-light/ ?)",
                        "ROOT/posts/2026-04-01-planted.md:10: the link target \"http://[::1\" is not a valid URL"
                                + " (Expected closing bracket for IPv6 address)");
    }
}
