package morgana.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README opens with the two commands that work on a fresh machine, and CI runs the second one. */
class ReadmeTest {

    @Test
    void readmeOpensWithTheBootAndTestCommands() throws Exception {
        assertThat(ReadmeBootTest.readmeCommand(0)).isEqualTo("scripts/morgana boot examples/blog");
        assertThat(ReadmeBootTest.readmeCommand(1)).isEqualTo("scripts/test");
        assertThat(Files.readAllLines(ExampleBlog.root().resolve("README.md")).get(3)).isEqualTo("```");
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws Exception {
        String ci = Files.readString(ExampleBlog.root().resolve(".ci/run"));
        assertThat(ci).contains("exec scripts/test");
    }
}
