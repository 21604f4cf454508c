package morgana.deploy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.site.BuildOptions;
import morgana.blog.site.DirectoryOutput;
import morgana.blog.site.SiteBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", description = {
        "Render a site (morgana.yaml, a Jekyll _config.yml or a Hugo hugo.toml) into a bundle file,",
        "and on request into a folder of plain files. Broken internal links fail the build."})
final class BuildCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Above this many posts, the phases of the build are printed with their times. */
    static final int PROGRESS_ABOVE_POSTS = 300;

    @Parameters(index = "0", paramLabel = "SITE", description = "The site directory.")
    Path site;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "site.bundle",
            description = "Where to write the bundle (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Also write every page and file into DIR.")
    Path outDir;

    @CommandLine.Mixin
    Publishing publishing;

    /** What to publish; shared by build, check and serve. */
    static final class Publishing {

        @Option(names = "--drafts", description = "Publish posts marked draft: true.")
        boolean drafts;

        @Option(names = "--future", description = "Publish posts dated in the future.")
        boolean future;

        BuildOptions options() {
            return new BuildOptions(drafts, future, Instant.now(), false);
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        var builder = new SiteBuilder(site, publishing.options());
        var progress = new StringBuilder();
        builder.onProgress(line -> progress.append("morgana: ").append(line).append('\n'));
        SiteBuilder.BuiltSite built = builder.build();
        var console = spec.commandLine().getOut();
        built.warnings().forEach(w -> spec.commandLine().getErr().println("morgana: " + w));
        if (!built.brokenLinks().isEmpty()) {
            throw built.brokenLinks().getFirst().toException();
        }
        if (built.posts().size() > PROGRESS_ABOVE_POSTS) {
            console.print(progress);
        }
        SiteBundle bundle = built.bundle();
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        long writing = System.nanoTime();
        bundle.writeTo(output);
        if (built.posts().size() > PROGRESS_ABOVE_POSTS) {
            console.printf("morgana: bundle written in %d ms%n", (System.nanoTime() - writing) / 1_000_000);
        }
        if (outDir != null) {
            int files = DirectoryOutput.write(bundle, outDir);
            console.printf("morgana: %s: %d files%n", outDir, files);
        }
        console.printf("morgana: %s: %d posts, %d entries, %d bytes, bundle %s, in %d ms%n", output,
                built.posts().size(), bundle.size(), Files.size(output), bundle.bundleHash(),
                (System.nanoTime() - start) / 1_000_000);
        console.flush();
        return 0;
    }
}
