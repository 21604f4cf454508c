package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import morgana.blog.RandomText;
import org.junit.jupiter.api.Test;
import org.unbescape.html.HtmlEscape;

class HtmlTest {

    @Test
    void escapesTheFiveMarkupCharacters() {
        assertThat(Html.escape("a < b && c > \"d\" 'e'")).isEqualTo("a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
    }

    @Test
    void textWithNothingToEscapeIsTheSameString() {
        String text = "Post number 7 about kernel – Corpus…";
        assertThat(Html.escape(text)).isSameAs(text);
    }

    /** Templates escape with Html.escape in place of Pebble's html strategy: the pages must not change. */
    @Test
    void givesWhatPebblesOwnHtmlStrategyGives() {
        var random = new Random(11);
        for (int round = 0; round < 500; round++) {
            String s = RandomText.of(random, "ab <>&\"'/=;#·é–日\uD83D\uDE00\u00A0\u0000\n", 40);
            assertThat(Html.escape(s)).as(s).isEqualTo(HtmlEscape.escapeHtml4Xml(s));
        }
    }
}
