package morgana.e2e.netstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import morgana.e2e.ChildProcess;

/** Starting a test's helper {@code main} in a child JVM (inside a namespace) and waiting for what it prints. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** The command line that runs {@code main} with this test JVM's runtime and class path. */
    static String[] javaCommand(Class<?> main, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        argv.addAll(List.of(args));
        return argv.toArray(String[]::new);
    }

    /** Waits for a line of {@code process}'s output that contains {@code text}, and returns it. */
    static String awaitOutput(ChildProcess process, String text, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (String line : process.output().lines().toList()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line with '" + text + "' in time\n" + process.report());
    }
}
