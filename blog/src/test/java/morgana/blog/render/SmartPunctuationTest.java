package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SmartPunctuationTest {

    private final MarkdownRenderer smart = new MarkdownRenderer(true);
    private final MarkdownRenderer plain = new MarkdownRenderer();

    private String html(String markdown) {
        return smart.render(markdown, 1).html();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "He said \"hello\" twice.|<p>He said “hello” twice.</p>",
            "'Single' quotes.|<p>‘Single’ quotes.</p>",
            "Don't stop, it's Jane's.|<p>Don’t stop, it’s Jane’s.</p>",
            "Back in the '90s.|<p>Back in the ’90s.</p>",
            "Pages 10--20 --- or so...|<p>Pages 10–20 — or so…</p>",
            "(\"In brackets\")|<p>(“In brackets”)</p>",
            "\"*Emphasised*\" and \"[a link](/a/)\".|<p>“<em>Emphasised</em>” and “<a href=\"/a/\">a link</a>”.</p>",
    })
    void textGetsTypographicPunctuation(String markdown, String expected) {
        assertThat(html(markdown)).isEqualTo(expected + "\n");
    }

    @Test
    void aLineBreakIsASpace() {
        assertThat(html("A \"quote\n'over' lines\".")).isEqualTo("<p>A “quote\n‘over’ lines”.</p>\n");
    }

    @Test
    void codeRawHtmlAndBareUrlsStayAsWritten() {
        assertThat(html("Run `a --b \"c\"` now.")).isEqualTo("<p>Run <code>a --b &quot;c&quot;</code> now.</p>\n");
        assertThat(html("```\nx = \"a\" -- 'b'...\n```\n")).isEqualTo("<pre><code>x = &quot;a&quot; -- &#39;b&#39;...\n</code></pre>\n");
        assertThat(html("<span title=\"a--b\">it's</span>")).isEqualTo("<p><span title=\"a--b\">it’s</span></p>\n");
        assertThat(html("See https://example.com/a--b...c now.")).contains(">https://example.com/a--b...c</a>");
        assertThat(html("[a \"title\" link](/a--b/ \"the 'title'\")"))
                .isEqualTo("<p><a href=\"/a--b/\" title=\"the 'title'\">a “title” link</a></p>\n");
    }

    @Test
    void headingsTablesAndSummariesToo() {
        MarkdownRenderer.Rendered rendered = smart.render("## It's \"here\"\n\n| a |\n|---|\n| 'b' |\n\nFirst -- para.\n", 1);
        assertThat(rendered.html()).contains("<h2 id=\"its-here\">It’s “here”</h2>").contains("<td>‘b’</td>");
        assertThat(rendered.toc()).extracting(MarkdownRenderer.TocEntry::text).containsExactly("It’s “here”");
        assertThat(rendered.firstParagraphText()).isEqualTo("First – para.");
    }

    @Test
    void onlyPunctuationChangesWhateverTheText() {
        var random = new java.util.Random(11);
        for (int i = 0; i < 20_000; i++) {
            String text = morgana.blog.RandomText.of(random, "\"'-.a1 (\t\né", 16);
            String smartened = SmartPunctuation.smarten(text, random.nextBoolean() ? ' ' : 'x', random.nextBoolean() ? ' ' : 'x');
            String back = smartened.replace("—", "---").replace("–", "--").replace("…", "...")
                    .replaceAll("[“”]", "\"").replaceAll("[‘’]", "'");
            assertThat(back).as(text).isEqualTo(text);
        }
    }

    @Test
    void offByDefault() {
        assertThat(plain.render("\"a\" -- b's...", 1).html()).isEqualTo("<p>&quot;a&quot; -- b's...</p>\n");
        assertThat(plain.smartPunctuation()).isFalse();
        assertThat(smart.smartPunctuation()).isTrue();
    }
}
