package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import morgana.blog.RandomText;
import org.junit.jupiter.api.Test;

class Utf8WriterTest {

    /** What the JDK makes of the same text: the writer must give the same bytes however the text is cut. */
    private static byte[] jdk(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesEveryKindOfCharacterAsTheJdkDoes() {
        String text = "ASCII <p> · é – “quotes” … 日本 😀 end";
        var out = new Utf8Writer(4);
        out.write(text, 0, text.length());
        assertThat(out.toByteArray()).isEqualTo(jdk(text));
    }

    @Test
    void aSurrogatePairSplitAcrossWritesIsOneCharacter() {
        String emoji = "😀";
        var out = new Utf8Writer(16);
        out.write(emoji.charAt(0));
        out.write(new char[] {emoji.charAt(1), '!'}, 0, 2);
        assertThat(out.toByteArray()).isEqualTo(jdk("😀!"));
    }

    @Test
    void unpairedSurrogatesBecomeQuestionMarksAsInTheJdk() {
        String text = "a\uD800b\uDC00c" + "x".repeat(40) + "\uD83D";
        var out = new Utf8Writer(16);
        out.write(text, 0, 10);
        out.write(text, 10, text.length() - 10);
        assertThat(out.toByteArray()).isEqualTo(jdk(text));
    }

    @Test
    void randomTextInRandomPiecesMatchesTheJdk() {
        var random = new Random(7);
        for (int round = 0; round < 200; round++) {
            String s = RandomText.of(random, "ab<>&\"' ·é–…日\uD83D\uDE00\uD800", 300);
            var out = new Utf8Writer(8);
            int at = 0;
            while (at < s.length()) {
                int n = Math.min(s.length() - at, random.nextInt(70));
                switch (random.nextInt(3)) {
                    case 0 -> out.write(s, at, n);
                    case 1 -> out.write(s.toCharArray(), at, n);
                    default -> {
                        for (int i = at; i < at + n; i++) {
                            out.write(s.charAt(i));
                        }
                    }
                }
                at += n;
            }
            assertThat(out.toByteArray()).as(s).isEqualTo(jdk(s));
        }
    }

    @Test
    void longStringsAreEncodedWholeAsTheJdkDoes() {
        String body = "<p>café – 日本 😀 & more</p>\n".repeat(200);
        var out = new Utf8Writer(16);
        out.write('x');
        out.write(body, 0, body.length());
        out.write(body + "\uD83D", 0, body.length() + 1); // ends on half a pair: written a character at a time
        out.write(0xDE00);
        assertThat(out.toByteArray()).isEqualTo(jdk("x" + body + body + "😀"));
    }

    @Test
    void resetKeepsNothingOfTheLastPage() {
        var out = new Utf8Writer(16);
        String first = "first page, long enough to take the bulk path";
        out.write(first, 0, first.length());
        out.reset();
        out.append("second");
        assertThat(out.toByteArray()).isEqualTo(jdk("second"));
        assertThat(out.size()).isEqualTo(6);
    }
}
