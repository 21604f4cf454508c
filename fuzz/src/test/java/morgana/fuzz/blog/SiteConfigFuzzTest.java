package morgana.fuzz.blog;

import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Optional;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.fuzz.Findings;
import org.junit.jupiter.api.Test;

/**
 * {@code morgana.yaml} (blog's {@code SiteConfig.parse}): a configuration with a title, a normalised base URL
 * and a positive page size, or a {@link SiteException} naming the file and a line; never another exception.
 */
class SiteConfigFuzzTest {

    static final Path FILE = Path.of("site/morgana.yaml");

    @FuzzTest
    void configsLoadOrFailNamingFileAndLine(byte[] input) {
        String text = BlogInputs.text(input);
        Optional<SiteConfig> config = valueOrRefusal(input, SiteException.class, () -> SiteConfig.parse(FILE, text));
        if (config.isEmpty()) {
            try {
                SiteConfig.parse(FILE, text);
            } catch (SiteException e) {
                BlogInputs.assertNamesFileAndLine(e, FILE, text);
            }
            return;
        }
        SiteConfig c = config.get();
        assertThat(c.title()).isNotNull();
        assertThat(c.baseUrl()).isNotBlank();
        assertThat(c.paginate()).isPositive();
        assertThat(c.file()).isEqualTo(FILE);
    }

    /**
     * Finding: a YAML alias that refers to its own anchor ({@code a: &a [*a]}) makes MarkedYaml.recordKeyLines
     * recurse until StackOverflowError; it is now a SiteException naming the line of the alias.
     */
    @Test
    void regressionRecursiveYamlAliasInConfigIsASiteError() {
        configsLoadOrFailNamingFileAndLine(Findings.input("yaml-recursive-alias-config"));
    }
}
