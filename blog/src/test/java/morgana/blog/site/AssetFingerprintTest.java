package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files are also served under a content-hashed name, and generated pages link to that name. */
class AssetFingerprintTest {

    private static final Pattern HASHED_FIN = Pattern.compile("/images/fin\\.([0-9a-f]{10})\\.svg");

    @TempDir
    Path root;

    private static String text(SiteBundle bundle, String path) {
        return new String(bundle.find(path).orElseThrow().body(), StandardCharsets.UTF_8);
    }

    private static String hashedFinIn(String html) {
        Matcher m = HASHED_FIN.matcher(html);
        assertThat(m.find()).as("a link to the fingerprinted fin.svg in %s", html).isTrue();
        return m.group();
    }

    @Test
    void servesEachStaticFileAlsoUnderItsContentHashAndPagesLinkToThatName() throws SiteException {
        SiteBundle bundle = SiteBuilder.build(TestSite.sample(root).root());

        String post = text(bundle, "/posts/minnesota-goodbye/");
        String hashed = hashedFinIn(post);
        assertThat(post).doesNotContain("src=\"/images/fin.svg\"");
        BundleEntry plain = bundle.find("/images/fin.svg").orElseThrow();
        BundleEntry fingerprinted = bundle.find(hashed).orElseThrow();
        assertThat(fingerprinted.body()).isEqualTo(plain.body());
        assertThat(fingerprinted.contentType()).isEqualTo("image/svg+xml");
        assertThat(hashed).isEqualTo("/images/fin." + SiteBuilder.fingerprint(plain.body()) + ".svg");
    }

    @Test
    void rewritesRelativeLinksAndKeepsTheirQueryAndFragment() throws SiteException {
        TestSite site = TestSite.sample(root).post("2026-04-01-relative.md", """
                ---
                title: Relative
                date: 2026-04-01T10:00:00Z
                permalink: /notes/relative/
                ---
                ![up](../../images/fin.svg?v=1#top) and [the file](/images/fin.svg#x) and [a page](/posts/first-light/)
                and [elsewhere](https://example.org/images/fin.svg)
                """);
        SiteBundle bundle = SiteBuilder.build(site.root());

        String page = text(bundle, "/notes/relative/");
        String hash = SiteBuilder.fingerprint(bundle.find("/images/fin.svg").orElseThrow().body());
        assertThat(page)
                .contains("src=\"../../images/fin." + hash + ".svg?v=1#top\"")
                .contains("href=\"/images/fin." + hash + ".svg#x\"")
                .contains("href=\"/posts/first-light/\"")
                .contains("href=\"https://example.org/images/fin.svg\"");
    }

    @Test
    void anEditedAssetGetsANewNameAndOnlyThePagesThatLinkToItAreRenderedAgain() throws Exception {
        TestSite site = TestSite.sample(root);
        var builder = new SiteBuilder(site.root(), BuildOptions.publishing(Instant.now()));
        SiteBuilder.BuiltSite first = builder.build();
        String before = hashedFinIn(text(first.bundle(), "/posts/minnesota-goodbye/"));

        Path svg = root.resolve("static/images/fin.svg");
        Files.writeString(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\"/>\n");
        Files.setLastModifiedTime(svg, FileTime.from(Instant.now().plusSeconds(5)));
        SiteBuilder.BuiltSite second = builder.build();

        String after = hashedFinIn(text(second.bundle(), "/posts/minnesota-goodbye/"));
        assertThat(after).isNotEqualTo(before);
        assertThat(second.bundle().find(after)).isPresent();
        assertThat(second.bundle().find(before)).as("the old name is gone with the old content").isEmpty();
        // the post with the image, and the index page that shows its body as the summary; nothing else
        assertThat(second.stats().pagesRendered()).isBetween(1, 2);
        assertThat(second.stats().pagesReused()).isEqualTo(first.stats().pagesRendered() - second.stats().pagesRendered());
    }

    @Test
    void fingerprintFalseLinksToThePlainNamesOnly() throws SiteException {
        TestSite site = TestSite.sample(root);
        site.file("morgana.yaml", TestSite.CONFIG + "fingerprint: false\n");
        SiteBundle bundle = SiteBuilder.build(site.root());

        assertThat(text(bundle, "/posts/minnesota-goodbye/")).contains("src=\"/images/fin.svg\"");
        assertThat(bundle.byPath().keySet()).noneMatch(p -> HASHED_FIN.matcher(p).matches());
    }

    @Test
    void aFlagThatIsNotABooleanNamesTheKeyAndLine() {
        TestSite site = TestSite.sample(root);
        site.file("morgana.yaml", TestSite.CONFIG + "fingerprint: sometimes\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SiteBuilder.build(site.root()))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining("morgana.yaml")
                .hasMessageContaining("fingerprint must be true or false, found");
    }
}
