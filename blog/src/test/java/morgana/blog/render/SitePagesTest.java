package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import morgana.blog.site.Post;
import morgana.blog.site.PostParser;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import org.junit.jupiter.api.Test;

class SitePagesTest {

    private static SitePages pages(boolean liveReload) throws SiteException {
        return new SitePages(SiteConfig.parse(Path.of("morgana.yaml"),
                "title: Wire & Notes\nbase_url: http://example.org/\nauthor: Ada\n"), Theme.defaultTheme(),
                "/style.0123456789.css", liveReload);
    }

    private static RenderedPost post(String title) throws SiteException {
        Post post = PostParser.parse(Path.of("posts/x.md"), "---\ntitle: \"" + title + "\"\ndate: 2026-03-14\n"
                + "tags: [tcp]\nmood: calm\n---\nBody.\n");
        return RenderedPost.of(post, new MarkdownRenderer().render(post.markdown(), post.bodyFirstLine()));
    }

    private static String postPage(SitePages pages, RenderedPost post) throws SiteException {
        return new String(pages.post(post, PostView.of(post), "post.html"), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void postPageEscapesItsTitleInTitleAndHeading() throws SiteException {
        String html = postPage(pages(false), post("FIN <now> & \\\"then\\\""));

        assertThat(html).startsWith("<!doctype html>")
                .contains("<title>FIN &lt;now&gt; &amp; &quot;then&quot; – Wire &amp; Notes</title>")
                .contains("<h1>FIN &lt;now&gt; &amp; &quot;then&quot;</h1>")
                .contains("<time datetime=\"2026-03-14\">14 March 2026</time>")
                .contains("<a href=\"/tags/tcp/\">tcp</a>")
                .contains("<p>Body.</p>")
                .contains("<link rel=\"canonical\" href=\"http://example.org/posts/x/\">")
                .contains("<meta name=\"description\" content=\"Body.\">")
                .contains("<link rel=\"stylesheet\" href=\"/style.0123456789.css\">")
                .doesNotContain("<now>");
    }

    @Test
    void defaultThemeIsSemanticAndAccessible() throws SiteException {
        String html = postPage(pages(false), post("T"));

        assertThat(html).contains("<html lang=\"en\">", "<meta name=\"viewport\"", "<main id=\"content\">",
                "<a class=\"skip-link\" href=\"#content\">", "<nav class=\"site-nav\" aria-label=\"Site\">",
                "<article class=\"post\">", "<footer class=\"site-footer\">");
        assertThat(Theme.defaultTheme().assetText(Theme.STYLESHEET)).contains("@media (prefers-color-scheme: dark)");
    }

    @Test
    void reloadScriptIsOnlyInServeMode() throws SiteException {
        assertThat(postPage(pages(false), post("T"))).doesNotContain("<script");
        assertThat(postPage(pages(true), post("T"))).contains("<script src=\"/_morgana/reload.js\"></script>");
    }

    @Test
    void notFoundPageLinksHome() throws SiteException {
        assertThat(new String(pages(false).notFound(), java.nio.charset.StandardCharsets.UTF_8)).contains("<title>Page not found – Wire &amp; Notes</title>", "href=\"/\"");
    }

    @Test
    void summaryIsCutAtAWordWithAnEllipsis() {
        String summary = RenderedPost.shorten("word ".repeat(100));

        assertThat(summary).endsWith("word…").hasSizeLessThanOrEqualTo(241);
    }

    @Test
    void summaryFoldsWhiteSpaceAsTheRegexDid() {
        for (String text : new String[] {"", " \t\n", "one", "  one\n\ntwo\u000B\fthree\r\n", "\u3000 wide\u2003 spaces \u3000",
                "a\u00A0b", " x ".repeat(200)}) {
            assertThat(RenderedPost.shorten(text)).as(text).isEqualTo(shortenedByRegex(text));
        }
    }

    private static String shortenedByRegex(String text) {
        String collapsed = text.replaceAll("\\s+", " ").strip();
        return collapsed.length() <= 240 ? collapsed : RenderedPost.shorten(collapsed);
    }
}
