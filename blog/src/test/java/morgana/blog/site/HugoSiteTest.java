package morgana.blog.site;

import static morgana.blog.site.FixtureSites.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Hugo site (src/test/resources/sites/hugo) builds as it is: hugo.toml, content/posts/, TOML and YAML front matter. */
class HugoSiteTest {

    @TempDir
    static Path root;

    static SiteBuilder.BuiltSite site;

    @BeforeAll
    static void build() throws SiteException {
        FixtureSites.copy("hugo", root);
        site = new SiteBuilder(root, BuildOptions.publishing(Instant.parse("2026-01-01T00:00:00Z"))).build();
    }

    @Test
    void configComesFromHugoToml() {
        assertThat(site.config().kind()).isEqualTo(SiteKind.HUGO);
        assertThat(site.config().title()).isEqualTo("Hugo Notes");
        assertThat(site.config().baseUrl()).isEqualTo("https://hugo.example.org/");
        assertThat(site.config().description()).isEqualTo("A Hugo site read by Morgana");
        assertThat(site.config().author()).isEqualTo("Hana Hugo");
    }

    @Test
    void tomlAndYamlPostsAndPageBundlesAreServedAtTheHugoPermalink() {
        assertThat(site.posts()).extracting(Post::urlPath).containsExactly(
                "/2024/04/yaml-post/", "/2024/03/toml-post/", "/2024/02/bundle-post/");
        assertThat(new String(site.bundle().find("/posts/").orElseThrow().body(), java.nio.charset.StandardCharsets.UTF_8))
                .as("the section of content/posts/").contains("href=\"/2024/03/toml-post/\"");
        assertThat(site.brokenLinks()).isEmpty();
    }

    @Test
    void tomlFrontMatterKeepsDatesTagsAliasesAndUnknownKeys() {
        Post toml = site.posts().get(1);
        assertThat(toml.title()).isEqualTo("A TOML post");
        assertThat(toml.published()).isEqualTo(Instant.parse("2024-03-01T08:00:00Z"));
        assertThat(toml.updated()).hasValue(Instant.parse("2024-03-05T09:00:00Z"));
        assertThat(toml.tags()).containsExactly("toml", "hugo");
        assertThat(toml.categories()).containsExactly("formats");
        assertThat(toml.params()).containsEntry("mood", "curious");
        assertThat(site.bundle().find("/old/toml-post/").orElseThrow().contentType())
                .isEqualTo("application/x-morgana-redirect");
    }

    @Test
    void draftsAreLeftOutAndStaticIsServedAtTheRoot() {
        assertThat(site.posts()).extracting(Post::title).doesNotContain("Still drafting");
        assertThat(site.bundle().find("/img/logo.svg")).isPresent();
    }

    @Test
    void topLevelContentFilesArePagesOutsideTheListsAndTheFeed() {
        assertThat(text(site.bundle(), "/about/")).contains("<h1>About this site</h1>", "A stand-alone page");
        assertThat(site.posts()).extracting(Post::title).doesNotContain("About this site");
        assertThat(text(site.bundle(), "/feed.xml")).doesNotContain("About this site");
        assertThat(text(site.bundle(), "/sitemap.xml")).contains("<loc>https://hugo.example.org/about/</loc>");
    }

    @Test
    void hugoMoreMarkerCutsTheSummary() {
        assertThat(text(site.bundle(), "/")).contains("read as it is.").doesNotContain("After the fold");
    }

    @Test
    void draftsArePublishedWhenAskedFor() throws SiteException {
        var withDrafts = new SiteBuilder(root, new BuildOptions(true, false, Instant.parse("2026-01-01T00:00:00Z"), false)).build();
        assertThat(withDrafts.posts()).extracting(Post::title).contains("Still drafting");
    }
}
