package morgana.blog.site;

import static morgana.blog.site.FixtureSites.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Octopress/Jekyll site (src/test/resources/sites/octopress) builds as it is, without a morgana.yaml. */
class JekyllSiteTest {

    @TempDir
    static Path root;

    static SiteBuilder.BuiltSite site;

    @BeforeAll
    static void build() throws SiteException {
        FixtureSites.copy("octopress", root);
        site = new SiteBuilder(root, BuildOptions.publishing(Instant.parse("2026-01-01T00:00:00Z"))).build();
    }

    @Test
    void configComesFromUnderscoreConfigWithUrlAndBaseurl() {
        assertThat(site.config().kind()).isEqualTo(SiteKind.JEKYLL);
        assertThat(site.config().title()).isEqualTo("Octo Notes");
        assertThat(site.config().baseUrl()).isEqualTo("http://octo.example.org/blog/");
        assertThat(site.config().author()).isEqualTo("Sam Octo");
        assertThat(site.config().paginate()).isEqualTo(2);
    }

    @Test
    void postsFromUnderscorePostsAreServedAtTheirJekyllPermalinks() {
        assertThat(site.posts()).extracting(Post::urlPath).containsExactly(
                "/2014/02/03/no-front-matter-title/",
                "/2014/01/02/liquid-everywhere/",
                "/2013/09/14/hello-octopress/");
        assertThat(site.bundle().find("/2013/09/14/hello-octopress/")).isPresent();
        assertThat(site.bundle().find("/posts/")).as("Jekyll has no sections").isEmpty();
        assertThat(site.brokenLinks()).isEmpty();
    }

    @Test
    void jekyllDateWithOffsetIsKeptInItsZone() {
        Post hello = site.posts().getLast();
        assertThat(hello.published()).isEqualTo(Instant.parse("2013-09-14T14:15:00Z"));
        assertThat(hello.date()).hasToString("2013-09-14");
    }

    @Test
    void titleAndDateComeFromTheFileNameWhenTheFrontMatterHasNone() {
        Post bare = site.posts().getFirst();
        assertThat(bare.title()).isEqualTo("No front matter title");
        assertThat(bare.date()).hasToString("2014-02-03");
    }

    @Test
    void unpublishedPostIsLeftOut() {
        assertThat(site.posts()).extracting(Post::title).doesNotContain("Not yet");
    }

    @Test
    void categoriesBecomePagesAndStringCategoriesAndTagsAreSplit() {
        assertThat(site.posts().get(1).categories()).containsExactly("meta");
        assertThat(site.posts().get(1).tags()).containsExactly("jekyll", "liquid");
        assertThat(text(site.bundle(), "/categories/networking/")).contains("Hello, Octopress");
        assertThat(text(site.bundle(), "/categories/meta/")).contains("Hello, Octopress", "Liquid everywhere");
    }

    @Test
    void moreMarkerCutsTheSummaryOnTheIndex() {
        String index = text(site.bundle(), "/page/2/");
        assertThat(index).contains("The first post of the old blog.").doesNotContain("After the fold").doesNotContain("def greet");
    }

    @Test
    void highlightTagBecomesAHighlightedCodeBlockWithAWarningForItsOptions() {
        String post = text(site.bundle(), "/2013/09/14/hello-octopress/");
        assertThat(post).contains("<code class=\"language-python\"><span class=\"hl-k\">def</span>");
        assertThat(post).doesNotContain("{% highlight");
        assertThat(site.warnings()).anySatisfy(w -> assertThat(w.toString())
                .endsWith("2013-09-14-hello-octopress.markdown:14: warning: {% highlight python linenos %}: the options \"linenos\" are ignored"));
    }

    @Test
    void rawTagShowsItsTextVerbatimAndUnknownTagsWarnWithFileAndLine() {
        String post = text(site.bundle(), "/2014/01/02/liquid-everywhere/");
        assertThat(post).contains("{{ page.title }} is how Jekyll prints a title.").doesNotContain("{% raw %}");
        assertThat(post).contains("{% include disqus.html %}");
        assertThat(site.warnings()).extracting(Object::toString).anySatisfy(w -> assertThat(w)
                .endsWith("2014-01-02-liquid-everywhere.md:10: warning: {% raw %}: the text up to {% endraw %} is shown verbatim"));
        assertThat(site.warnings()).extracting(Object::toString).anySatisfy(w -> assertThat(w)
                .endsWith("2014-01-02-liquid-everywhere.md:14: warning: the Liquid tag {% include disqus.html %} is not supported and is shown as written"));
    }

    @Test
    void imagesFolderIsServedUnderItsName() {
        assertThat(site.bundle().find("/images/octo.svg")).isPresent();
        assertThat(site.bundle().find("/_layouts/post.html")).isEmpty();
    }

    /** Octopress 2 keeps the Jekyll source under {@code source/}: posts and images are read from there. */
    @Test
    void octopressSourceFolderHoldsThePostsAndTheImages(@TempDir Path octopress) throws Exception {
        Files.writeString(octopress.resolve("_config.yml"), """
                title: Classic Octopress
                url: http://octo.example.org
                permalink: /blog/:year/:month/:day/:title/
                """);
        Files.createDirectories(octopress.resolve("source/_posts"));
        Files.createDirectories(octopress.resolve("source/images"));
        Files.writeString(octopress.resolve("source/_posts/2012-06-01-from-the-source.markdown"), """
                ---
                layout: post
                title: "From the source"
                ---
                ![logo](/images/logo.svg)
                """);
        Files.writeString(octopress.resolve("source/images/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");

        var classic = new SiteBuilder(octopress, BuildOptions.publishing(Instant.parse("2026-01-01T00:00:00Z"))).build();

        assertThat(classic.posts()).extracting(Post::urlPath).containsExactly("/blog/2012/06/01/from-the-source/");
        assertThat(classic.bundle().find("/images/logo.svg")).isPresent();
        assertThat(classic.brokenLinks()).isEmpty();
    }
}
