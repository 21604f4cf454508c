package morgana.kernel.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace of the test's own, so that nothing here touches the machine's interfaces. Closing
 * deletes it, and with it every interface inside.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    public static NetworkNamespace create() throws IOException, InterruptedException {
        String name = "morgana-k-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Command.of("ip", "netns", "add", name).check(IP_TIMEOUT);
        NetworkNamespace ns = new NetworkNamespace(name);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip -n <ns> args...}, which must succeed. */
    public String ip(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        return new Command(argv).check(IP_TIMEOUT);
    }

    /** A command line that runs {@code argv} inside the namespace. */
    public List<String> exec(List<String> argv) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(argv);
        return line;
    }

    /** Runs {@code argv} inside the namespace with a deadline, whatever its exit code. */
    public Command.Result run(Duration timeout, String... argv) throws IOException, InterruptedException {
        return new Command(exec(List.of(argv))).run(timeout);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Command.of("ip", "netns", "delete", name).check(IP_TIMEOUT);
    }
}
