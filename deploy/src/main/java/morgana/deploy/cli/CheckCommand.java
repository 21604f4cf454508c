package morgana.deploy.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.SiteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "check", description = {
        "Find every problem of a site at once: broken internal links, missing images, duplicate permalinks,",
        "invalid dates and other front matter mistakes, each with its file and line. Exits 1 when there is any."})
final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SITE", description = "The site directory.")
    Path site;

    @CommandLine.Mixin
    BuildCommand.Publishing publishing;

    @Override
    public Integer call() {
        List<SiteException> problems = new SiteBuilder(site, publishing.options()).check();
        for (SiteException problem : problems) {
            spec.commandLine().getOut().println(problem.getMessage());
        }
        if (problems.isEmpty()) {
            spec.commandLine().getOut().printf("morgana: %s: no problems found%n", site);
            return 0;
        }
        spec.commandLine().getOut().printf("morgana: %s: %d problem%s%n", site, problems.size(), problems.size() == 1 ? "" : "s");
        return 1;
    }
}
