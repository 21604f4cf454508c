package morgana.kernel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM running one of the test mains inside a network namespace, with the test's classpath and the flags
 * jnr-ffi needs. Its output lines are collected as they come; closing kills it.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("child-output").start(this::collect);
    }

    public static ChildJvm start(NetworkNamespace ns, Class<?> main, String... args) throws IOException {
        return new ChildJvm(new ProcessBuilder(ns.exec(javaCommand(main, args))).redirectErrorStream(true).start());
    }

    /** Starts {@code main} inside {@code ns} under {@code wrapper}, a command that ends by running its arguments. */
    public static ChildJvm startWrapped(NetworkNamespace ns, List<String> wrapper, Class<?> main, String... args)
            throws IOException {
        List<String> argv = new ArrayList<>(wrapper);
        argv.addAll(javaCommand(main, args));
        return new ChildJvm(new ProcessBuilder(ns.exec(argv)).redirectErrorStream(true).start());
    }

    /**
     * Starts {@code main} inside {@code ns} the way an image starts PID 1's JVM: in mount and UTS namespaces
     * of its own, with /proc and /sys unmounted, and the JDK's libraries on LD_LIBRARY_PATH (no $ORIGIN
     * without /proc). The host's mounts and hostname are untouched.
     */
    public static ChildJvm startBare(NetworkNamespace ns, Class<?> main, String... args) throws IOException {
        List<String> argv = new ArrayList<>(bareCommand());
        argv.addAll(javaCommand(main, args));
        return new ChildJvm(new ProcessBuilder(ns.exec(argv)).redirectErrorStream(true).start());
    }

    /** The prefix that runs a command with no /proc or /sys in private mount and UTS namespaces. */
    public static List<String> bareCommand() {
        String javaHome = System.getProperty("java.home");
        String script = "umount -l /sys && umount -l /proc && LD_LIBRARY_PATH='" + javaHome + "/lib:" + javaHome
                + "/lib/server' exec \"$@\"";
        return List.of("unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c", script, "sh");
    }

    /** This JVM's java with the flags jnr-ffi needs and the test classpath, running {@code main}. */
    public static List<String> javaCommand(Class<?> main, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        argv.addAll(List.of(args));
        return argv;
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
        synchronized (lines) {
            ended = true;
            lines.notifyAll();
        }
    }

    /**
     * Waits for a line matching {@code wanted}; fails with everything printed so far once {@code timeout} has
     * passed or the child has ended.
     */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("child printed no expected line " + (ended ? "before it ended" : "within "
                            + timeout) + "; it printed:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** Waits for the child to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child still running after " + timeout + "; it printed:\n" + output());
        }
        reader.join(timeout.toMillis());
        return process.exitValue();
    }

    /** Sends the signal named {@code name} (such as TERM or HUP) to the child, the JVM itself (every wrapper execs it). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
