package morgana.deploy.cli;

import java.io.PrintWriter;
import morgana.blog.site.SiteException;
import morgana.deploy.image.ImageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code morgana} command: builds a blog into a bundle, serves it (host sockets or Morgana's own
 * stack on a TAP), builds it into a bootable image, and boots that image under qemu.
 */
@Command(name = "morgana", mixinStandardHelpOptions = true, version = "morgana 0.1.0",
        description = "A static blog as a JVM unikernel.",
        subcommands = {BuildCommand.class, ServeCommand.class, RunCommand.class, ImageCommand.class, BootCommand.class,
                DeployCommand.class,
                NewCommand.class, CheckCommand.class,
                CommandLine.HelpCommand.class})
public final class Morgana implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: build, serve, run, image or boot");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; for tests and {@link #main}. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** As {@link #execute(String...)}, with errors and usage messages written to {@code err}. */
    static int execute(PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Morgana());
        cli.setExecutionExceptionHandler(Morgana::handle);
        return cli;
    }

    /**
     * Errors the user can act on (a bad site, a missing kernel or tool) are one line that says what to do;
     * the stack trace only with {@code --verbose}.
     */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        boolean verbose = parseResult.hasMatchedOption("--verbose")
                || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
        String message = switch (e) {
            case SiteException s -> s.getMessage();
            case ImageException i -> i.getMessage();
            case UsageProblem u -> u.getMessage();
            case java.nio.file.NoSuchFileException n -> "no such file: " + n.getFile();
            case java.io.IOException io -> "I/O error: " + io.getMessage();
            default -> e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run again with --verbose for the stack trace)");
        };
        err.println("morgana: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof UsageProblem ? 2 : 1;
    }

    /** A command was used in a way that cannot work; the message says how to use it instead. */
    static final class UsageProblem extends RuntimeException {
        UsageProblem(String message) {
            super(message);
        }
    }
}
