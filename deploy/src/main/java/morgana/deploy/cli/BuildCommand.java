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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;

/**
 * {@code morgana build}. Its options are declared through picocli's programmatic API, as are those of
 * {@link Morgana}, rather than by annotations: reading annotations by reflection loads picocli's reflection
 * machinery (its classes, compiled for Java 5, are beyond the JDK's start-up cache) and makes a proxy class for
 * each annotation type at run time; the two commands' annotations were 40 ms of every build, before a file was
 * read. The usage text is the same as the annotations gave (MorganaCliTest).
 */
final class BuildCommand implements Callable<Integer> {

    /** Above this many posts, the phases of the build are printed with their times. */
    static final int PROGRESS_ABOVE_POSTS = 300;

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    private final PositionalParamSpec siteParameter = PositionalParamSpec.builder()
            .index("0").arity("1").required(true).paramLabel("SITE").type(Path.class).description("The site directory.").build();
    private final OptionSpec outputOption = OptionSpec.builder("-o", "--output")
            .paramLabel("FILE").type(Path.class).defaultValue("site.bundle")
            .description("Where to write the bundle (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec outDirOption = OptionSpec.builder("--out-dir")
            .paramLabel("DIR").type(Path.class).description("Also write every page and file into DIR.").build();
    private final OptionSpec draftsOption = OptionSpec.builder(Publishing.DRAFTS)
            .type(boolean.class).description(Publishing.DRAFTS_DESCRIPTION).build();
    private final OptionSpec futureOption = OptionSpec.builder(Publishing.FUTURE)
            .type(boolean.class).description(Publishing.FUTURE_DESCRIPTION).build();

    private BuildCommand() {
        spec.usageMessage().description(
                "Render a site (morgana.yaml, a Jekyll _config.yml or a Hugo hugo.toml) into a bundle file,",
                "and on request into a folder of plain files. Broken internal links fail the build.");
        spec.addPositional(siteParameter);
        spec.addOption(outputOption);
        spec.addOption(outDirOption);
        spec.addOption(draftsOption);
        spec.addOption(futureOption);
    }

    /** The command, for {@link CommandLine#addSubcommand(String, Object)}. */
    static CommandSpec spec() {
        return new BuildCommand().spec;
    }

    /** What to publish; shared by check and serve (as a mixin) and build (the same options, declared above). */
    static final class Publishing {

        static final String DRAFTS = "--drafts";
        static final String DRAFTS_DESCRIPTION = "Publish posts marked draft: true.";
        static final String FUTURE = "--future";
        static final String FUTURE_DESCRIPTION = "Publish posts dated in the future.";

        @Option(names = DRAFTS, description = DRAFTS_DESCRIPTION)
        boolean drafts;

        @Option(names = FUTURE, description = FUTURE_DESCRIPTION)
        boolean future;

        BuildOptions options() {
            return options(drafts, future);
        }

        static BuildOptions options(boolean drafts, boolean future) {
            return new BuildOptions(drafts, future, Instant.now(), false);
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        Path site = siteParameter.getValue();
        Path output = outputOption.getValue();
        Path outDir = outDirOption.getValue();
        var options = Publishing.options(Boolean.TRUE.equals(draftsOption.getValue()), Boolean.TRUE.equals(futureOption.getValue()));
        var builder = new SiteBuilder(site, options);
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
