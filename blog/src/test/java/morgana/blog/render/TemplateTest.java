package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateTest {

    @Test
    void escapesTextAndInsertsSafeMarkupAsItIs() {
        Template template = Template.of("t", "<h1>{{title}}</h1>{{ body }}");

        String html = template.render(Map.of("title", "A <b> & \"c\" 'd'", "body", new Html.Safe("<p>x</p>")));

        assertThat(html).isEqualTo("<h1>A &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;</h1><p>x</p>");
    }

    @Test
    void placeholderWithoutValueIsAnError() {
        assertThatThrownBy(() -> Template.of("page.html", "{{title}}").render(Map.of()))
                .hasMessage("page.html: no value for {{title}}");
    }

    @Test
    void unclosedOrMalformedPlaceholderIsRejected() {
        assertThatThrownBy(() -> Template.of("t", "a {{title")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Template.of("t", "{{a b}}")).hasMessageContaining("bad placeholder");
    }

    private static final long SEED = 0x4D6F7267616E61L; // "Morgana"
    private static final int TRIES = 1000;
    /** The longest random text, as a generated {@code String} was before. */
    private static final int MAX_LENGTH = 255;
    private static final String MARKUP = "<>\"'&;#ltgampquo39{}";

    @ParameterizedTest
    @MethodSource("texts")
    void escapedTextNeverContainsMarkupCharacters(String text) {
        String html = Template.of("t", "{{x}}").render(Map.of("x", text));

        assertThat(html).doesNotContain("<", ">", "\"", "'");
        assertThat(html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&")).isEqualTo(text);
    }

    /**
     * Edge texts (empty, each markup character, text that is already escaped, a placeholder, the lowest and
     * highest characters, a surrogate pair and a lone surrogate), then seeded random texts.
     */
    static Stream<String> texts() {
        Random r = new Random(SEED);
        Stream<String> edges = Stream.of("", " ", "<", ">", "\"", "'", "&", "<>\"'&", "&lt;", "&gt;", "&quot;", "&#39;",
                "&amp;", "&amp;lt;", "&&lt;;", "{{x}}", "{{", "}}", "\u0000", "\uFFFF", "\uD83D\uDE00", "\uD800",
                "\uDFFF", "<".repeat(MAX_LENGTH), "&".repeat(MAX_LENGTH), "é".repeat(MAX_LENGTH));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> randomText(r)));
    }

    /**
     * Up to {@value #MAX_LENGTH} characters, each a markup or entity character, printable ASCII, or anything in
     * the BMP (surrogates included), so escapes, entity look-alikes and odd characters all meet.
     */
    private static String randomText(Random r) {
        int length = r.nextInt(MAX_LENGTH + 1);
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(switch (r.nextInt(3)) {
                case 0 -> MARKUP.charAt(r.nextInt(MARKUP.length()));
                case 1 -> (char) (' ' + r.nextInt(95));
                default -> (char) r.nextInt(0x10000);
            });
        }
        return out.toString();
    }
}
