package morgana.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    private static Path site(Path root) throws Exception {
        Files.createDirectories(root.resolve("posts"));
        Files.createDirectories(root.resolve("static/images"));
        Files.writeString(root.resolve("morgana.yaml"), "title: T\nbase_url: \"http://127.0.0.1:8080/\"\n");
        Files.writeString(root.resolve("static/images/there.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        Files.writeString(root.resolve("posts/a.md"), "---\ntitle: A\ndate: 2026-01-01\n---\n[b](/posts/b/) ![i](/images/there.svg)\n");
        Files.writeString(root.resolve("posts/b.md"), "---\ntitle: B\ndate: 2026-01-02\n---\n[a](/posts/a/)\n");
        return root;
    }

    @Test
    void aSoundSiteHasNoProblems(@TempDir Path tmp) throws Exception {
        CliRun run = CliRun.of("check", site(tmp).toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("no problems found");
    }

    @Test
    void plantedBrokenLinksAndMissingImagesFailWithFileAndLine(@TempDir Path tmp) throws Exception {
        Path site = site(tmp);
        Files.writeString(site.resolve("posts/c.md"), "---\ntitle: C\ndate: 2026-01-03\n---\nok\n\n[gone](/posts/gone/)\n"
                + "![none](/images/none.png)\n");

        CliRun run = CliRun.of("check", site.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains(site.resolve("posts/c.md") + ":7: links to /posts/gone/")
                .contains(site.resolve("posts/c.md") + ":8: links to /images/none.png, which is an image")
                .contains("2 problems");
    }

    @Test
    void invalidDatesAndDuplicatePermalinksAreAllReported(@TempDir Path tmp) throws Exception {
        Path site = site(tmp);
        Files.writeString(site.resolve("posts/d.md"), "---\ntitle: D\ndate: 2026-13-01\n---\n");
        Files.writeString(site.resolve("posts/e.md"), "---\ntitle: E\ndate: yesterday\n---\n");
        Files.writeString(site.resolve("posts/f.md"), "---\ntitle: F\ndate: 2026-01-01\nslug: a\n---\n");

        CliRun run = CliRun.of("check", site.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("d.md:3: date must be", "e.md:3: date must be",
                "f.md:1: has the permalink /posts/a/", "3 problems");
    }
}
