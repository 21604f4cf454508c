package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import morgana.blog.RandomText;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    private final MarkdownRenderer markdown = new MarkdownRenderer();

    @Test
    void gfmTableRendersAsTable() {
        String html = markdown.render("""
                | option | kind |
                | :----- | ---: |
                | MSS    | 2    |
                """, 1).html();

        assertThat(html).contains("<table>", "<thead>", "<th align=\"left\">option</th>", "<td align=\"right\">2</td>");
    }

    @Test
    void fencedCodeBlockKeepsItsLanguageIsHighlightedAndEscaped() {
        String html = markdown.render("```java\nif (a < b && c) {}\n```\n", 1).html();

        assertThat(html).isEqualTo("<pre><code class=\"language-java\"><span class=\"hl-k\">if</span>"
                + " (a &lt; b &amp;&amp; c) {}\n</code></pre>\n");
    }

    @Test
    void linkToAnotherPostRendersAsAnchor() {
        String html = markdown.render("Read [the FIN story](/posts/minnesota-goodbye/).", 1).html();

        assertThat(html).isEqualTo("<p>Read <a href=\"/posts/minnesota-goodbye/\">the FIN story</a>.</p>\n");
    }

    @Test
    void reportsLinkAndImageTargetsWithTheirFileLines() {
        String source = "Intro.\n\nA [link](/a/)\nand ![img](/b.png).\n\n[ref]: /c/\n\n- [x] [by reference][ref]\n\n"
                + "| a | b |\n|---|---|\n| x | [in a table](/d/) |\n\nA note.[^1]\n\n[^1]: With [a link](/e/).\n";
        MarkdownRenderer.Rendered rendered = markdown.render(source, 10);

        assertThat(rendered.links()).containsExactly("/a/", "/b.png", "/c/", "/d/");
        assertThat(markdown.locateLinks(source, 10)).containsExactly(
                new MarkdownRenderer.LinkTarget("/a/", 12),
                new MarkdownRenderer.LinkTarget("/b.png", 13),
                new MarkdownRenderer.LinkTarget("/c/", 17),
                new MarkdownRenderer.LinkTarget("/d/", 21));
    }

    @Test
    void firstParagraphTextDropsMarkup() {
        MarkdownRenderer.Rendered rendered = markdown.render("# Title\n\nSome *emphasis* and `code`,\nwrapped.\n\nMore.", 1);

        assertThat(rendered.firstParagraphText()).isEqualTo("Some emphasis and code, wrapped.");
    }

    @Test
    void autolinksUrlsWwwLinksAndEmailAddresses() {
        var renderer = new MarkdownRenderer();

        assertThat(renderer.render("See https://example.com/a now.", 1).html()).contains("<a href=\"https://example.com/a\">");
        assertThat(renderer.render("See www.example.com now.", 1).html()).contains("<a href=\"http://www.example.com\">");
        assertThat(renderer.render("Write to ann@example.com.", 1).html()).contains("<a href=\"mailto:ann@example.com\">");
        assertThat(renderer.render("No link [here](/posts/a/) or in www or e-mail.", 1).html())
                .isEqualTo("<p>No link <a href=\"/posts/a/\">here</a> or in www or e-mail.</p>\n");
    }

    @Test
    void onlyTextWithAColonAnAtSignOrWwwDotMayHoldAnAutolink() {
        assertThat(MarkdownRenderer.mayContainAutolinks("plain [link](/a/) and `code`, www without a dot")).isFalse();
        assertThat(MarkdownRenderer.mayContainAutolinks("a: b")).isTrue();
        assertThat(MarkdownRenderer.mayContainAutolinks("a@b")).isTrue();
        assertThat(MarkdownRenderer.mayContainAutolinks("www.x")).isTrue();
        assertThat(MarkdownRenderer.mayContainAutolinks("go to wWw.x")).isTrue();
    }

    @Test
    void countsWordsOfEveryScriptWithInnerApostrophesAndHyphens() {
        assertThat(MarkdownRenderer.countWords("It's a well-known naïve café – 東京 2026 ÀÉ")).isEqualTo(8);
        assertThat(MarkdownRenderer.countWords("")).isZero();
        assertThat(MarkdownRenderer.countWords("## Heading\n\n- one *two*")).isEqualTo(3);
    }

    /** The ids the renderer gave before it applied the rule itself: commonmark's IdGenerator, then made unique. */
    private static java.util.function.UnaryOperator<String> idGeneratorIds() {
        var generator = org.commonmark.ext.heading.anchor.IdGenerator.builder().defaultId("section").build();
        var used = new java.util.HashSet<String>();
        return text -> {
            String id = generator.generateId(text);
            String candidate = id;
            for (int n = 1; !used.add(candidate); n++) {
                candidate = id + "-" + n;
            }
            return candidate;
        };
    }

    @Test
    void headingIdsAreThoseOfCommonmarksIdGeneratorMadeUnique() {
        String[] texts = {"Intro", "intro", "Intro", "intro-1", "A b  c", "Ünïcödé Straße", "東京 タワー", "", "!!!",
                "snake_case and-dash", "Tab\there", "ΣΊΣΥΦΟΣ", "İstanbul", "x-1", "x", "x", "section", "a.b/c?d"};
        var random = new java.util.Random(7);
        for (int document = 0; document < 200; document++) {
            var expected = idGeneratorIds();
            var ids = new MarkdownRenderer.UniqueIds();
            for (int i = 0; i < 12; i++) {
                String text = texts[random.nextInt(texts.length)];
                assertThat(ids.next(text)).as(text).isEqualTo(expected.apply(text));
            }
        }
        for (int document = 0; document < 2000; document++) { // the ASCII loop against the pattern, and its way out
            var expected = idGeneratorIds();
            var ids = new MarkdownRenderer.UniqueIds();
            for (int i = 0; i < 4; i++) {
                String text = RandomText.of(random, " -_.!?aZz09AI\tİıéß東\u0301~`'\"", 12);
                assertThat(ids.next(text)).as(text).isEqualTo(expected.apply(text));
            }
        }
    }
}
