package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

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

    @Property
    void escapedTextNeverContainsMarkupCharacters(@ForAll String text) {
        String html = Template.of("t", "{{x}}").render(Map.of("x", text));

        assertThat(html).doesNotContain("<", ">", "\"", "'");
        assertThat(html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&")).isEqualTo(text);
    }
}
