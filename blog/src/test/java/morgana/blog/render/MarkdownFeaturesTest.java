package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What authors coming from GitHub, Hugo and kramdown expect their Markdown to do. */
class MarkdownFeaturesTest {

    private final MarkdownRenderer markdown = new MarkdownRenderer();

    private String html(String source) {
        return markdown.render(source, 1).html();
    }

    @Test
    void strikethroughAutolinksAndTaskListsAreGfm() {
        assertThat(html("~~gone~~")).isEqualTo("<p><del>gone</del></p>\n");
        assertThat(html("see https://example.org/x now")).contains("<a href=\"https://example.org/x\">https://example.org/x</a>");
        assertThat(html("- [x] done\n- [ ] todo\n"))
                .contains("<input type=\"checkbox\" disabled=\"\" checked=\"\">", "<input type=\"checkbox\" disabled=\"\">");
    }

    @Test
    void footnotesLinkBothWays() {
        String html = html("A claim.[^1]\n\n[^1]: The source.\n");
        assertThat(html).contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
                "<li id=\"fn-1\">The source. <a href=\"#fnref-1\"");
        assertThat(html("`[^1]` in code\n\n[^1]: x\n")).contains("<code>[^1]</code>").doesNotContain("fnref");
    }

    @Test
    void headingsGetStableIdsAndFormTheTableOfContents() {
        var rendered = markdown.render("# Title\n\n## Why `FIN` matters\n\n### Details\n\n## Why `FIN` matters\n", 1);

        assertThat(rendered.html()).contains("<h2 id=\"why-fin-matters\">", "<h3 id=\"details\">",
                "<h2 id=\"why-fin-matters-1\">");
        assertThat(rendered.toc()).containsExactly(
                new MarkdownRenderer.TocEntry(2, "why-fin-matters", "Why FIN matters"),
                new MarkdownRenderer.TocEntry(3, "details", "Details"),
                new MarkdownRenderer.TocEntry(2, "why-fin-matters-1", "Why FIN matters"));
        assertThat(markdown.render("## Why `FIN` matters\n", 1).html())
                .as("the same heading gets the same id in another build").contains("id=\"why-fin-matters\"");
    }

    @Test
    void aHeadingWhoseTextLooksLikeANumberedRepeatStillGetsAnIdOfItsOwn() {
        var rendered = markdown.render("## A\n\n## A 1\n\n## A\n", 1);

        assertThat(rendered.toc()).extracting(MarkdownRenderer.TocEntry::id).containsExactly("a", "a-1", "a-1-1");
        assertThat(rendered.html()).contains("<h2 id=\"a\">", "<h2 id=\"a-1\">", "<h2 id=\"a-1-1\">");
    }

    @Test
    void imageAttributesSetWidthAndHeight() {
        assertThat(html("![diagram](/d.svg){width=320 height=200}"))
                .contains("<img src=\"/d.svg\" alt=\"diagram\"", "width=\"320\"", "height=\"200\"");
    }

    @Test
    void moreMarkerGivesTheSummaryBeforeIt() {
        var rendered = markdown.render("Intro **here**.\n\n<!-- more -->\n\nRest.\n", 1);
        assertThat(rendered.summaryHtml()).isEqualTo("<p>Intro <strong>here</strong>.</p>\n");
        assertThat(rendered.html()).contains("Rest.");
        assertThat(markdown.render("No marker.\n", 1).summaryHtml()).isEmpty();
    }

    @Test
    void wordsAreCountedForTheReadingTime() {
        assertThat(markdown.render("One two, three-four. Five's 6\n", 1).words()).isEqualTo(5);
    }
}
