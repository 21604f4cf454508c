package morgana.fuzz.blog;

import static morgana.fuzz.ParserContract.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import morgana.blog.render.MarkdownRenderer;
import morgana.fuzz.Findings;
import org.junit.jupiter.api.Test;

/**
 * Post bodies through the blog's {@code MarkdownRenderer} (commonmark and its extensions, footnotes, code
 * highlighting): any text renders, within the time budget, with and without smart punctuation (which leaves
 * link targets alone); link lines lie inside the body; heading anchors are unique within a page.
 */
class MarkdownFuzzTest {

    static final int FIRST_LINE = 5;
    private final MarkdownRenderer renderer = new MarkdownRenderer();
    private final MarkdownRenderer smartRenderer = new MarkdownRenderer(true);

    @FuzzTest
    void anyTextRendersWithLinksInsideTheBodyAndUniqueAnchors(byte[] input) {
        String markdown = BlogInputs.text(input);
        MarkdownRenderer.Rendered r = value(input, () -> renderer.render(markdown, FIRST_LINE));
        assertThat(r.html()).isNotNull();
        long lastLine = FIRST_LINE + markdown.lines().count();
        List<MarkdownRenderer.LinkTarget> located = value(input, () -> renderer.locateLinks(markdown, FIRST_LINE));
        assertThat(located).extracting(MarkdownRenderer.LinkTarget::destination).as("the targets render reports")
                .isEqualTo(r.links());
        for (MarkdownRenderer.LinkTarget link : located) {
            assertThat((long) link.line()).as("%s", link).isBetween((long) FIRST_LINE, Math.max(lastLine, FIRST_LINE));
        }
        MarkdownRenderer.Rendered smart = value(input, () -> smartRenderer.render(markdown, FIRST_LINE));
        assertThat(smart.links()).as("smart punctuation leaves link targets alone").isEqualTo(r.links());
        Set<String> ids = new HashSet<>();
        for (MarkdownRenderer.TocEntry entry : r.toc()) {
            assertThat(ids.add(entry.id())).as("anchor %s twice", entry.id()).isTrue();
        }
    }

    /**
     * Finding (a 400 s campaign): headings "A", "A `3`", "A", "A" got the ids a, a-3, a-1, a-2 and then a-3
     * again, as commonmark numbers repeats of the same text only; ids are now unique across the document.
     */
    @Test
    void regressionAHeadingWhoseTextLooksLikeANumberedRepeatGetsItsOwnId() {
        anyTextRendersWithLinksInsideTheBodyAndUniqueAnchors(Findings.input("markdown-heading-id-collision"));
    }
}
