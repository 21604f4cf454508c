package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default theme's pages of the sample site, byte for byte, against files under
 * {@code src/test/resources/golden/}. After a deliberate change to the theme, regenerate them with
 * {@code -Dgolden.update=true} and review the diff. The stylesheet's fingerprint is masked, so a CSS edit alone
 * does not touch every golden file.
 */
class GoldenPagesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    static Path root;

    static SiteBundle bundle;

    @BeforeAll
    static void build() throws SiteException {
        TestSite.sample(root).post("2026-03-16-features.md", """
                ---
                title: Every feature
                date: 2026-03-16T09:30:00+01:00
                updated: 2026-03-18
                tags: [tcp]
                categories: [Notes]
                ---
                Before the fold, ~~struck~~.

                <!-- more -->

                ## Code

                ```yaml
                title: "Hi"
                port: 80
                ```

                ## Tasks

                - [x] footnotes[^why]
                - [ ] nothing else

                ### Details

                [^why]: Because readers ask.
                """);
        bundle = new SiteBuilder(root, BuildOptions.publishing(Instant.parse("2026-06-01T00:00:00Z"))).build().bundle();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/posts/features/, post.html, false",
            "/, index.html, true",
            "/tags/tcp/, tag.html, true",
            "/archives/, archives.html, true",
            "/404.html, 404.html, true",
            "/feed.xml, feed.xml, false",
    })
    void pageMatchesItsGoldenFile(String path, String golden, boolean mainOnly) throws IOException {
        String page = FixtureSites.text(bundle, path).replaceAll("/style\\.[0-9a-f]{10}\\.css", "/style.HASH.css");
        // The layout around <main> is the same on every page: one golden file (the post's) holds it.
        String actual = mainOnly ? page.substring(page.indexOf("<main"), page.indexOf("</main>") + 7) : page;
        Path file = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual).as("%s against %s (regenerate with -Dgolden.update=true)", path, file)
                .isEqualTo(Files.readString(file));
    }
}
