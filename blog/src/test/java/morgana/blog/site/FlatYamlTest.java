package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlatYamlTest {

    private static final Path FILE = Path.of("posts/a.md");

    /** What the YAML parser makes of {@code text}, in the form FlatYaml answers. */
    private static FlatYaml.Parsed byYamlParser(String text) throws SiteException {
        MarkedYaml yaml = MarkedYaml.parseWithYamlParser(FILE, 2, text);
        @SuppressWarnings("unchecked")
        var value = (java.util.Map<String, Object>) yaml.value();
        return new FlatYaml.Parsed(value, yaml.keyLines());
    }

    @Test
    void readsTheBenchmarksFrontMatterAsTheYamlParserDoes() throws SiteException {
        String text = "title: \"Post number 7 about sockets\"\ndate: 2016-08-08T07:07:00Z\ntags: [tag03, tag41]\n"
                + "categories: [cat2]\nlayout: post";

        FlatYaml.Parsed flat = FlatYaml.parse(text, 2);

        assertThat(flat).isNotNull().isEqualTo(byYamlParser(text));
        assertThat(flat.keyLines()).containsEntry("tags.1", 4).containsEntry("layout", 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "title: 12", "title: 1.5", "draft: true", "draft: True", "draft: FALSE", "x: null", "x: ~", "true: x",
            "title: \"a \\\" b\"", "title: 'it''s'", "title: a # comment", "# comment\ntitle: a", "title: a ",
            "title:  a", "title:", "title: a\ntitle: b", "tags:\n  - a", "image:\n  memory: 128M", "title: - a",
            "title: &x a", "title: *x", "title: !!str 12", "title: |\n  a", "tags: [a, [b]]", "tags: [a,b]",
            "tags: [1, 2]", "tags: [ a ]", "a: {b: c}", "title: \"tab\there\"", "title: a\r", "key with space: a",
            "title: 2026-13", "title: .inf", "title: 0x10", "---\ntitle: a", "title: a\n...", " title: a", ""})
    void leavesEverythingElseToTheYamlParser(String text) {
        assertThat(FlatYaml.parse(text, 2)).isNull();
    }

    /**
     * Documents of random lines, some of the flat shape and some not: whenever FlatYaml answers, it answers what
     * the YAML parser does, key lines included.
     */
    @Test
    void answersWhatTheYamlParserDoesForRandomDocuments() {
        String[] keys = {"title", "date", "tags", "layout", "summary", "x_y", "a-b", "_k", "True", "null", "k k", "c"};
        String[] values = {"\"quoted: with colon\"", "'single'", "\"é – ü 東京\"", "plain words", "Yes", "No", "on",
                "2026-03-14", "2026-03-14T09:30:00Z", "2026-03-14 09:30 +0100", "2026-03-14T09:30:00.5+01:00",
                "12", "1.5", "-3", "true", "TRUE", "null", "~", "[a, b]", "[]", "[a,b]", "[ a ]", "[tag01, \"q r\"]",
                "[x, 12]", "[x, true]", "- x", "x #c", "a  b", ".inf", "0x10", "\"tab\there\"", "\"\u0085\"",
                "\"a \\n b\"", "'it''s'", "e.g. this/that", "a:b", "Infinity", "NaN", "x.", "a -b", "\"\"", "''",
                "[\"\"]", "[a, ]", "[, a]", "[a , b]", "v1.2", "2026-03-14x", "&a x", "*a", "!t x"};
        String[] extras = {"", "# a comment", "  indented: x", "title: dup", "..."};
        var random = new Random(20260314);
        int accepted = 0;
        for (int doc = 0; doc < 4000; doc++) {
            var lines = new ArrayList<String>();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                lines.add(random.nextInt(12) == 0 ? extras[random.nextInt(extras.length)]
                        : keys[random.nextInt(keys.length)] + ": " + values[random.nextInt(values.length)]);
            }
            String text = String.join("\n", lines) + (random.nextBoolean() ? "\n" : "");
            FlatYaml.Parsed flat = FlatYaml.parse(text, 2);
            if (flat == null) {
                continue;
            }
            accepted++;
            FlatYaml.Parsed expected;
            try {
                expected = byYamlParser(text);
            } catch (SiteException e) {
                throw new AssertionError("FlatYaml read what the YAML parser refuses:\n" + text, e);
            }
            assertThat(flat).as(text).isEqualTo(expected);
        }
        assertThat(accepted).as("documents FlatYaml read").isGreaterThan(300);
    }

    @Test
    void aPostWithFlatFrontMatterIsTheSameAsThroughTheYamlParser() throws SiteException {
        String text = "title: \"A – b\"\ndate: 2026-03-14 09:30 +0100\ntags: [tcp, http]\naliases: [/old/a.html]\n";
        List<Object> viaFlat = List.of(MarkedYaml.parse(FILE, 2, text).value(), MarkedYaml.parse(FILE, 2, text).keyLines());
        List<Object> viaParser = List.of(MarkedYaml.parseWithYamlParser(FILE, 2, text).value(),
                MarkedYaml.parseWithYamlParser(FILE, 2, text).keyLines());

        assertThat(viaFlat).isEqualTo(viaParser);
    }
}
