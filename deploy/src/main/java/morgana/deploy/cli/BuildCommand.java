package morgana.deploy.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.site.SiteBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", description = "Render a site into a bundle file.")
final class BuildCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SITE", description = "The site directory (with morgana.yaml).")
    Path site;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "site.bundle",
            description = "Where to write the bundle (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        SiteBundle bundle = SiteBuilder.build(site);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(output)) {
            bundle.writeTo(out);
        }
        System.out.printf("morgana: %s: %d entries, %d bytes, bundle %s%n", output, bundle.size(), Files.size(output),
                bundle.bundleHash());
        return 0;
    }
}
