package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import morgana.blog.RandomText;
import org.junit.jupiter.api.Test;

class PermalinkTest {

    /** The rule as regexes, as slugify was first written: its loop must give the same slugs. */
    private static String slugifiedByRegex(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_~-]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "untitled" : slug;
    }

    @Test
    void slugsAreLowerCaseWithoutAccentsAndWithOneDashForEachRunOfOtherCharacters() {
        assertThat(Permalink.slugify("Why FIN matters: TCP's close")).isEqualTo("why-fin-matters-tcp-s-close");
        assertThat(Permalink.slugify("Crème brûlée")).isEqualTo("creme-brulee");
        assertThat(Permalink.slugify("--a--b--")).isEqualTo("a--b");
        assertThat(Permalink.slugify("!!!")).isEqualTo("untitled");
    }

    @Test
    void slugsAreWhatTheRegexesGaveOnRandomText() {
        var random = new Random(5);
        for (int round = 0; round < 2000; round++) {
            String text = RandomText.of(random, "aZ9_~- !./:éÅß日\u0301", 12);
            assertThat(Permalink.slugify(text)).as(text).isEqualTo(slugifiedByRegex(text));
        }
    }

    @Test
    void datePlaceholdersArePaddedAndSlashesCollapse() {
        PostDate date = PostDate.parse("2026-03-04T05:06:07Z", ZoneOffset.UTC).orElseThrow();
        String path = Permalink.of("/:categories/:year/:month/:day/:hour:minute:second/:y_day/:short_year/:i_month/:title/")
                .expand(date, "hello", "file", List.of(), "posts");
        assertThat(path).isEqualTo("/2026/03/04/050607/063/26/3/hello/");
        assertThat(Permalink.of("pretty").expand(date, "t", "f", List.of("Net Stack", "TCP"), "posts"))
                .isEqualTo("/net-stack/tcp/2026/03/04/t/");
        assertThat(Permalink.of("posts/:slug").expand(date, "s", "f", List.of(), "posts")).isEqualTo("/posts/s");
    }
}
