package morgana.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewCommandTest {

    @Test
    void newWritesASiteThatBuildsAndPassesTheCheck(@TempDir Path tmp) throws Exception {
        Path site = tmp.resolve("blog");

        CliRun created = CliRun.of("new", site.toString(), "--title", "Field notes", "--author", "Ines");

        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("wrote " + site.resolve("morgana.yaml"), "morgana serve " + site + " --watch");
        assertThat(Files.readString(site.resolve("morgana.yaml"))).contains("title: \"Field notes\"", "author: \"Ines\"",
                "# Where posts are served.", "image:");
        assertThat(CliRun.of("check", site.toString()).code()).isZero();
        CliRun built = CliRun.of("build", site.toString(), "-o", tmp.resolve("site.bundle").toString());
        assertThat(built.code()).as(built.err()).isZero();
        assertThat(built.out()).contains("1 posts");
    }

    @Test
    void newRefusesAFolderThatHasFiles(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "mine");

        CliRun run = CliRun.of("new", tmp.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("is not empty");
        assertThat(Files.readString(tmp.resolve("keep.txt"))).isEqualTo("mine");
    }
}
