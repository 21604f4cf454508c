package morgana.e2e;

import java.util.ArrayList;
import java.util.List;

/** The {@code morgana} command line as a child JVM with this test's classpath and the same java. */
public final class MorganaCli {

    private MorganaCli() {
    }

    public static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"),
                "morgana.deploy.cli.Morgana"));
        command.addAll(List.of(args));
        return command;
    }
}
