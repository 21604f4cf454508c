package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkedYamlTest {

    private static final Path FILE = Path.of("posts/laughs.md");

    /**
     * Ten anchors, each a list of the one before five times (within the 50 aliases snakeyaml-engine takes):
     * walked path by path, that is 5^10 paths (a build of one such post took 35 s with nine anchors).
     */
    @Test
    void nestedAliasesAreWalkedOnceNotAlongEveryPath() throws SiteException {
        List<String> lines = new ArrayList<>(List.of("title: Laughs", "l0: &l0 [a, a, a, a, a]"));
        for (int i = 1; i < 10; i++) {
            String previous = "*l" + (i - 1);
            lines.add("l" + i + ": &l" + i + " [" + String.join(", ", List.of(previous, previous, previous, previous,
                    previous)) + "]");
        }

        MarkedYaml yaml = MarkedYaml.parse(FILE, 2, String.join("\n", lines) + "\n");

        assertThat(yaml.lineOf("l9")).isEqualTo(12);
        assertThat(yaml.lineOf("l0.4")).as("the anchor's own items").isEqualTo(3);
        assertThat(yaml.hasLineFor("l1.0")).as("an alias where it is written").isTrue();
        assertThat(yaml.hasLineFor("l2.0.0")).as("not again through the alias").isFalse();
        assertThat(yaml.mapping("front matter")).containsKeys("l0", "l9");
    }

    @Test
    void anAliasInsideItsOwnAnchorIsStillRefusedAtItsLine() {
        assertThatThrownBy(() -> MarkedYaml.parse(FILE, 2, "title: T\nloop: &a [x, *a]\n"))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining("laughs.md:3:")
                .hasMessageContaining("loop.1 contains itself through an alias");
    }
}
