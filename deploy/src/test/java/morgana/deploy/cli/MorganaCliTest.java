package morgana.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: useful errors, no stack traces unless asked, and non-zero exit codes. */
class MorganaCliTest {

    private record Outcome(int code, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        int code = Morgana.execute(new PrintWriter(err, true), args);
        return new Outcome(code, err.toString());
    }

    private static Path exampleSite() {
        // Surefire runs with the module directory (deploy/) as the working directory.
        return Path.of("..", "examples", "blog").toAbsolutePath().normalize();
    }

    private static Path writeSite(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir.resolve("posts"));
        Files.writeString(dir.resolve("morgana.yaml"), yaml);
        return dir;
    }

    @Test
    void buildWritesABundleThatReadsBack(@TempDir Path tmp) throws Exception {
        Path bundleFile = tmp.resolve("out/site.bundle");

        Outcome outcome = run("build", exampleSite().toString(), "-o", bundleFile.toString());

        assertThat(outcome.code()).as(outcome.err()).isZero();
        try (InputStream in = Files.newInputStream(bundleFile)) {
            SiteBundle bundle = SiteBundle.readFrom(in);
            assertThat(bundle.get("/index.html")).isPresent();
        }
    }

    @Test
    void aSiteErrorIsOneLineNamingTheFileWithoutAStackTrace(@TempDir Path tmp) throws Exception {
        Path site = writeSite(tmp.resolve("site"), "title: [not, a, string]\nbase_url: \"http://x/\"\n");

        Outcome outcome = run("build", site.toString(), "-o", tmp.resolve("b").toString());

        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("morgana: ").contains("morgana.yaml").doesNotContain("\tat ");
        assertThat(outcome.err().lines().count()).isEqualTo(1);
    }

    @Test
    void verbosePrintsTheStackTrace(@TempDir Path tmp) throws Exception {
        Path site = writeSite(tmp.resolve("site"), "title: [not, a, string]\nbase_url: \"http://x/\"\n");

        Outcome outcome = run("build", site.toString(), "-o", tmp.resolve("b").toString(), "--verbose");

        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.err()).contains("\tat ");
    }

    @Test
    void aMissingSiteSaysHowToMakeOne(@TempDir Path tmp) {
        Outcome outcome = run("build", tmp.resolve("nope").toString());

        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.err()).contains("nope").contains("morgana new");
    }

    @Test
    void anUnknownImageTargetIsAUsageError(@TempDir Path tmp) {
        Outcome outcome = run("image", exampleSite().toString(), "--target", "vmware", "-o", tmp.toString());

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("qemu, xen or ec2");
    }

    @Test
    void bootRefusesADirectoryThatIsNeitherSiteNorImage(@TempDir Path tmp) {
        Outcome outcome = run("boot", tmp.toString());

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("neither a site").contains("morgana image");
    }

    @Test
    void bootSaysWhenTheHostPortIsTaken(@TempDir Path tmp) throws Exception {
        Path image = morgana.deploy.image.HelloGuest.build(tmp.resolve("guest"), tmp.resolve("image")).dir();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Outcome outcome = run("boot", image.toString(), "--port", Integer.toString(taken.getLocalPort()));

            assertThat(outcome.code()).isEqualTo(2);
            assertThat(outcome.err()).contains("port " + taken.getLocalPort()).contains("--port");
        }
    }

    @Test
    void directModeNeedsATapAndAnAddress() {
        Outcome outcome = run("run", exampleSite().toString());

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("--tap NAME").contains("--address CIDR");
    }

    @Test
    void tapOptionsWithSocketModeAreAUsageError() {
        Outcome outcome = run("serve", exampleSite().toString(), "--tap", "tap0");

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("--net direct");
    }

    /**
     * morgana and morgana build are declared through picocli's programmatic API (for start-up time); their usage
     * is what the annotations they had gave, and --verbose, --help and --version work as the standard mixin's.
     */
    @Test
    void usageOfMorganaAndOfBuildIsAsDeclared() {
        CliRun help = CliRun.of("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("""
                Usage: morgana [-hV] [--verbose] [COMMAND]
                A static blog as a JVM unikernel.
                  -h, --help      Show this help message and exit.
                  -V, --version   Print version information and exit.
                      --verbose   Print stack traces with errors.
                Commands:
                  build   Render a site (morgana.yaml, a Jekyll _config.yml or a Hugo hugo.
                            toml) into a bundle file,
                  serve   Serve a site from this host.
                """);
        CliRun version = CliRun.of("-V");
        assertThat(version.code()).isZero();
        assertThat(version.out()).isEqualTo("morgana 0.1.0\n");

        CliRun noSite = CliRun.of("build", "--future");
        assertThat(noSite.code()).isEqualTo(2);
        assertThat(noSite.err()).isEqualTo("""
                Missing required parameter: 'SITE'
                Usage: morgana build [--drafts] [--future] [--verbose] [-o=FILE]
                                     [--out-dir=DIR] SITE
                Render a site (morgana.yaml, a Jekyll _config.yml or a Hugo hugo.toml) into a
                bundle file,
                and on request into a folder of plain files. Broken internal links fail the
                build.
                      SITE            The site directory.
                      --drafts        Publish posts marked draft: true.
                      --future        Publish posts dated in the future.
                  -o, --output=FILE   Where to write the bundle (default: site.bundle).
                      --out-dir=DIR   Also write every page and file into DIR.
                      --verbose       Print stack traces with errors.
                """);
        assertThat(CliRun.of("build", "a", "b").err()).startsWith("Unmatched argument at index 2: 'b'");
    }

    @Test
    void noCommandAndUnknownOptionsAreUsageErrors() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("boot", "--no-such-option", "x").code()).isEqualTo(2);
    }
}
