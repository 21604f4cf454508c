package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import morgana.blog.site.Post;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import org.junit.jupiter.api.Test;

class SitePagesTest {

    private static SitePages pages() throws SiteException {
        return new SitePages(SiteConfig.parse(Path.of("morgana.yaml"),
                "title: Wire & Notes\nbase_url: http://example.org/\nauthor: Ada\n"));
    }

    private static RenderedPost post(String title) {
        Post post = new Post(Path.of("posts/x.md"), "x", title, LocalDate.of(2026, 3, 14),
                Instant.parse("2026-03-14T00:00:00Z"), Optional.empty(), List.of("tcp"), List.of(), false, "Body.", 5);
        return RenderedPost.of(post, new MarkdownRenderer().render(post.markdown(), 5));
    }

    @Test
    void postPageHasItsTitleInTitleAndHeading() throws SiteException {
        String html = pages().post(post("FIN <now>"));

        assertThat(html).startsWith("<!doctype html>")
                .contains("<title>FIN &lt;now&gt; – Wire &amp; Notes</title>")
                .contains("<h1>FIN &lt;now&gt;</h1>")
                .contains("<time datetime=\"2026-03-14\">14 March 2026</time>")
                .contains("<ul class=\"tags\"><li>tcp</li></ul>")
                .contains("<p>Body.</p>")
                .contains("<link rel=\"canonical\" href=\"http://example.org/posts/x/\">")
                .contains("<meta name=\"description\" content=\"Body.\">");
    }

    @Test
    void notFoundPageLinksHome() throws SiteException {
        assertThat(pages().notFound()).contains("<title>Page not found – Wire &amp; Notes</title>", "href=\"/\"");
    }

    @Test
    void summaryIsCutAtAWordWithAnEllipsis() {
        String summary = RenderedPost.shorten("word ".repeat(100));

        assertThat(summary).endsWith("word…").hasSizeLessThanOrEqualTo(241);
    }
}
