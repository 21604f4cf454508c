package morgana.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCommandTest {

    private static Path exampleSite() {
        return Path.of("..", "examples", "blog").toAbsolutePath().normalize();
    }

    @Test
    void outDirWritesEveryPageAsAFileBesideTheBundle(@TempDir Path tmp) throws Exception {
        CliRun run = CliRun.of("build", exampleSite().toString(), "-o", tmp.resolve("site.bundle").toString(),
                "--out-dir", tmp.resolve("public").toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(tmp.resolve("site.bundle")).exists();
        assertThat(Files.readString(tmp.resolve("public/index.html"))).contains("Notes from PID 1");
        assertThat(tmp.resolve("public/feed.xml")).exists();
        assertThat(run.out()).contains("files", "posts", "bundle ");
    }

    @Test
    void aJekyllSiteBuildsAsItIsWithLiquidWarningsOnStandardError(@TempDir Path tmp) throws Exception {
        Path site = tmp.resolve("jekyll");
        Files.createDirectories(site.resolve("_posts"));
        Files.writeString(site.resolve("_config.yml"), "title: Old blog\nurl: https://old.example.org\npermalink: pretty\n");
        Files.writeString(site.resolve("_posts/2012-05-06-hello.md"),
                "---\nlayout: post\ntitle: Hello\ncategories: [life]\n---\nHi {{ site.title }}.\n");

        CliRun run = CliRun.of("build", site.toString(), "-o", tmp.resolve("b").toString(), "--out-dir",
                tmp.resolve("out").toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(tmp.resolve("out/life/2012/05/06/hello/index.html")).exists();
        assertThat(run.err()).contains("2012-05-06-hello.md:6: warning: the Liquid output {{ site.title }}");
    }

    @Test
    void draftsAreBuiltOnlyWhenAskedFor(@TempDir Path tmp) throws Exception {
        assertBuiltOnlyWith("--drafts", "draft: true\ndate: 2026-01-01", tmp);
    }

    @Test
    void futurePostsAreBuiltOnlyWhenAskedFor(@TempDir Path tmp) throws Exception {
        assertBuiltOnlyWith("--future", "date: 2999-01-01", tmp);
    }

    /** A site whose one post has {@code frontMatter} gets that post's page only when built with {@code flag}. */
    private static void assertBuiltOnlyWith(String flag, String frontMatter, Path tmp) throws Exception {
        Path site = tmp.resolve("s");
        Files.createDirectories(site.resolve("posts"));
        Files.writeString(site.resolve("morgana.yaml"), "title: T\nbase_url: \"http://127.0.0.1:8080/\"\n");
        Files.writeString(site.resolve("posts/p.md"), "---\ntitle: P\n" + frontMatter + "\n---\nx\n");

        CliRun plain = CliRun.of("build", site.toString(), "-o", tmp.resolve("b").toString(), "--out-dir",
                tmp.resolve("plain").toString());
        CliRun asked = CliRun.of("build", site.toString(), flag, "-o", tmp.resolve("b").toString(), "--out-dir",
                tmp.resolve("asked").toString());

        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(asked.code()).as(asked.err()).isZero();
        assertThat(tmp.resolve("plain/posts/p/index.html")).doesNotExist();
        assertThat(tmp.resolve("asked/posts/p/index.html")).exists();
    }
}
