package morgana.blog.render.highlight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HighlighterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "java   | public final class A { // note\\n String s = \"x\"; int n = 0x1F; }"
                    + " | <span class=\"hl-k\">public</span>|<span class=\"hl-c\">// note</span>|<span class=\"hl-s\">&quot;x&quot;</span>|<span class=\"hl-m\">0x1F</span>|<span class=\"hl-t\">String</span>",
            "ocaml  | let rec f x = (* comment *) Some \"s\" | <span class=\"hl-k\">let</span>|<span class=\"hl-c\">(* comment *)</span>|<span class=\"hl-t\">Some</span>|<span class=\"hl-s\">&quot;s&quot;</span>",
            "sh     | if [ -n \"$HOME\" ]; then echo $PATH; fi # done | <span class=\"hl-k\">if</span>|<span class=\"hl-s\">&quot;$HOME&quot;</span>|<span class=\"hl-v\">$PATH</span>|<span class=\"hl-c\"># done</span>",
            "python | def f(x): return None  # why | <span class=\"hl-k\">def</span>|<span class=\"hl-l\">None</span>|<span class=\"hl-c\"># why</span>",
            "c      | #include <stdio.h>\\nint main(void) { return 0; } | <span class=\"hl-a\">#include</span>|<span class=\"hl-s\">&lt;stdio.h&gt;</span>|<span class=\"hl-t\">int</span>|<span class=\"hl-k\">return</span>",
            "json   | {\"a\": [1, true, null, \"s\"]} | <span class=\"hl-p\">&quot;a&quot;</span>|<span class=\"hl-m\">1</span>|<span class=\"hl-l\">true</span>|<span class=\"hl-s\">&quot;s&quot;</span>",
            "yaml   | title: \"Hi\" # c\\nport: 80\\ndraft: true | <span class=\"hl-p\">title</span>|<span class=\"hl-s\">&quot;Hi&quot;</span>|<span class=\"hl-c\"># c</span>|<span class=\"hl-m\">80</span>|<span class=\"hl-l\">true</span>",
    })
    void eachLanguageMarksItsTokens(String language, String code, String expected) {
        String html = Highlighter.toHtml(language, code.replace("\\n", "\n"));
        for (String fragment : expected.split("\\|")) {
            assertThat(html).as(language).contains(fragment);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99991})
    void anyInputIsCutIntoTokensThatJoinBackToIt(long seed) {
        var random = new Random(seed);
        String alphabet = "abc XYZ019 \"'`#/*()[]{}<>&$@!%:;,.-+=\\\n\t";
        for (String language : List.of("java", "ocaml", "sh", "python", "c", "json", "yaml")) {
            var text = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            var tokens = Languages.forName(language).orElseThrow().tokens(text.toString());
            assertThat(tokens.stream().map(Lexer.Token::text).collect(Collectors.joining()))
                    .as(language).isEqualTo(text.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"brainfuck", "", "  "})
    void unknownLanguageIsEscapedPlainText(String language) {
        assertThat(Highlighter.toHtml(language, "a < b")).isEqualTo("a &lt; b");
    }
}
