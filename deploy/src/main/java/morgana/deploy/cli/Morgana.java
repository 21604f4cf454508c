package morgana.deploy.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.SiteException;
import morgana.deploy.image.ImageException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code morgana} command: builds a blog into a bundle, serves it (host sockets or Morgana's own
 * stack on a TAP), builds it into a bootable image, and boots that image under qemu. Declared through picocli's
 * programmatic API, as {@code build} is (see {@link BuildCommand} for why); the other commands by annotations.
 */
public final class Morgana implements Runnable {

    /**
     * The subcommands by name, in the order help lists them. A command line gets only the one its first argument
     * names (all of them for help, a mistake or no command): picocli reads every registered command's annotations
     * when it is made, which for all of them was a tenth of a second of each {@code morgana build}. Classes, not
     * constructor references: picocli's classes are too old for the start-up cache, and a lambda naming one made
     * the JDK fail while writing that cache. {@code build} is made by {@link BuildCommand#spec()}.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        var commands = new LinkedHashMap<String, Class<?>>();
        commands.put("build", BuildCommand.class);
        commands.put("serve", ServeCommand.class);
        commands.put("run", RunCommand.class);
        commands.put("image", ImageCommand.class);
        commands.put("boot", BootCommand.class);
        commands.put("deploy", DeployCommand.class);
        commands.put("new", NewCommand.class);
        commands.put("check", CheckCommand.class);
        commands.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(commands);
    }

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

    private Morgana() {
        spec.name("morgana").version("morgana 0.1.0");
        spec.usageMessage().description("A static blog as a JVM unikernel.");
        // what mixinStandardHelpOptions gives, and the one option every command has
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
                .description("Print version information and exit.").build());
        spec.addOption(OptionSpec.builder("--verbose").scopeType(CommandLine.ScopeType.INHERIT).type(boolean.class)
                .description("Print stack traces with errors.").build());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: build, serve, run, image or boot");
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("build") || args[0].equals("check"))) {
            SiteBuilder.warmUpInBackground();
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code; for tests and {@link #main}. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** As {@link #execute(String...)}, with errors and usage messages written to {@code err}. */
    static int execute(PrintWriter err, String... args) {
        CommandLine cli = commandLine(args);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The command line for {@code args}: with the subcommand its first argument names, or with all of them. */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Morgana().spec);
        String named = args.length > 0 ? args[0] : "";
        for (var command : SUBCOMMANDS.entrySet()) {
            if (!SUBCOMMANDS.containsKey(named) || named.equals("help") || named.equals(command.getKey())) {
                Class<?> type = command.getValue();
                cli.addSubcommand(command.getKey(), type == BuildCommand.class ? BuildCommand.spec() : type);
            }
        }
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
