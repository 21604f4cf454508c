package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import morgana.blog.RandomText;
import org.junit.jupiter.api.Test;

class RenderedPostTest {

    /** The rule as first written, on the whole text: shorten collapses only the start of a long one. */
    private static String shortenedWhole(String text) {
        String collapsed = text.replaceAll("\\s+", " ").strip();
        if (collapsed.length() <= 240) {
            return collapsed;
        }
        int cut = collapsed.lastIndexOf(' ', 240);
        return collapsed.substring(0, cut > 120 ? cut : 240).stripTrailing() + "…";
    }

    @Test
    void summariesAreWhatCollapsingTheWholeTextGives() {
        var random = new Random(17);
        for (int round = 0; round < 3000; round++) {
            String text = (round % 7 == 0 ? "\u2003".repeat(random.nextInt(300)) : "")
                    + RandomText.of(random, "aaaaabbbcc      \t\n\r\u000B\f\u2003\u001F\u00A0é.", round % 3 == 0 ? 60 : 700);
            assertThat(RenderedPost.shorten(text)).as(text).isEqualTo(shortenedWhole(text));
        }
    }
}
