package morgana.deploy.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import morgana.blog.site.SiteSkeleton;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "new", description = "Create a site: one post, a static image and a morgana.yaml that documents its keys.")
final class NewCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A folder that does not exist yet, or is empty.")
    Path dir;

    @Option(names = "--title", defaultValue = "My blog", description = "The site's title (default: ${DEFAULT-VALUE}).")
    String title;

    @Option(names = "--author", defaultValue = "", description = "The author's name.")
    String author;

    @Override
    public Integer call() throws Exception {
        var files = SiteSkeleton.create(dir, title, author, LocalDate.now());
        files.forEach(f -> spec.commandLine().getOut().println("morgana: wrote " + f));
        spec.commandLine().getOut().printf("morgana: next: morgana serve %s --watch, then open http://127.0.0.1:8080/%n", dir);
        return 0;
    }
}
