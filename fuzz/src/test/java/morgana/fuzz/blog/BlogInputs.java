package morgana.fuzz.blog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import morgana.blog.site.SiteException;

/** What every blog target checks of a refusal: it names the file it was given, and a line inside the text. */
final class BlogInputs {

    private BlogInputs() {
    }

    /** Inputs are UTF-8 text as an author's editor writes it; malformed sequences become U+FFFD. */
    static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }

    static void assertNamesFileAndLine(SiteException e, Path file, String text) {
        assertThat(e.file()).as("%s", e.getMessage()).isEqualTo(file);
        assertThat(e.getMessage()).startsWith(file.toString());
        assertThat(e.problem()).isNotBlank();
        long lines = text.lines().count() + 2; // a problem may be reported on the line after the last
        e.line().ifPresent(line -> assertThat((long) line).as("%s", e.getMessage()).isBetween(1L, Math.max(lines, 2)));
    }
}
