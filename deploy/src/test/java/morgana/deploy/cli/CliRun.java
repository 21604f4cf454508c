package morgana.deploy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** A run of the command line with what it printed on each stream. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = Morgana.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
