package morgana.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace that the test creates and removes, so that TAP devices and 10.x addresses never
 * touch the machine's own network.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    public static NetworkNamespace create(String prefix) throws IOException, InterruptedException {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        ChildProcess.run(COMMAND_TIMEOUT, "ip", "netns", "add", name);
        NetworkNamespace ns = new NetworkNamespace(name);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs {@code ip ARGS} on this namespace. */
    public String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return ChildProcess.run(COMMAND_TIMEOUT, command.toArray(String[]::new));
    }

    /** Runs a short command inside the namespace and returns its output; fails on a non-zero exit. */
    public String exec(Duration timeout, String... command) throws IOException, InterruptedException {
        return ChildProcess.run(timeout, inside(List.of(command)).toArray(String[]::new));
    }

    /** The command line that runs {@code command} inside this namespace. */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ChildProcess.run(COMMAND_TIMEOUT, "ip", "netns", "delete", name);
    }
}
