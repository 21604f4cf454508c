package morgana.fuzz.blog;

import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Optional;
import morgana.blog.site.Post;
import morgana.blog.site.PostParser;
import morgana.blog.site.SiteException;
import morgana.fuzz.Findings;
import org.junit.jupiter.api.Test;

/**
 * A post file: YAML or TOML front matter, then Markdown (blog's {@code PostParser}). Either a post whose
 * title and slug are set and whose body starts after the front matter, or a {@link SiteException} naming the
 * file and a line in it; never another exception.
 */
class FrontMatterFuzzTest {

    static final Path FILE = Path.of("content/posts/2026-01-01-fuzzed.md");

    @FuzzTest
    void postsParseOrFailNamingFileAndLine(byte[] input) {
        String text = BlogInputs.text(input);
        Optional<Post> post = valueOrRefusal(input, SiteException.class, () -> PostParser.parse(FILE, text));
        if (post.isEmpty()) {
            try {
                PostParser.parse(FILE, text);
            } catch (SiteException e) {
                BlogInputs.assertNamesFileAndLine(e, FILE, text);
            }
            return;
        }
        Post p = post.get();
        assertThat(p.source()).isEqualTo(FILE);
        assertThat(p.title()).isNotNull();
        assertThat(p.slug()).isNotBlank();
        assertThat(p.urlPath()).startsWith("/");
    }

    /**
     * Finding: a YAML alias that refers to its own anchor ({@code a: &a [*a]}) makes MarkedYaml.recordKeyLines
     * recurse until StackOverflowError; it is now a SiteException naming the line of the alias.
     */
    @Test
    void regressionRecursiveYamlAliasInPostIsASiteError() {
        postsParseOrFailNamingFileAndLine(Findings.input("yaml-recursive-alias-post"));
    }

    /**
     * Finding: TOML front matter with an offset date-time whose offset does not parse
     * ({@code tit = 0025-01-01T10:00:06-01- 1T10:00:00Z}) made tomlj throw NullPointerException; it is now a
     * SiteException at the front matter's first line.
     */
    @Test
    void regressionTomlDateTimeThatTomljCannotReadIsASiteError() {
        postsParseOrFailNamingFileAndLine(Findings.input("toml-offset-datetime-npe"));
    }
}
