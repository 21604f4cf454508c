package morgana.kernel.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import morgana.netstack.wire.Ipv4Cidr;

/**
 * The host's side of a TAP on a developer's machine, configured the way a developer would: with
 * iproute2's {@code ip}, whose commands are returned so they can be shown and run again by hand.
 */
public final class HostSide {

    private static final long COMMAND_SECONDS = 10;

    private HostSide() {
    }

    /**
     * Gives {@code interfaceName} the host's address (replacing one it had) and brings it up; returns the
     * commands run, in order.
     *
     * @throws IllegalStateException naming the command and what it printed, if one fails
     */
    public static List<String> configure(String interfaceName, Ipv4Cidr hostAddress) {
        List<List<String>> commands = List.of(
                List.of("ip", "address", "replace", hostAddress.toString(), "dev", interfaceName),
                List.of("ip", "link", "set", "dev", interfaceName, "up"));
        List<String> run = new ArrayList<>();
        for (List<String> command : commands) {
            run(command);
            run.add(String.join(" ", command));
        }
        return run;
    }

    private static void run(List<String> command) {
        String line = String.join(" ", command);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("`" + line + "` did not finish within " + COMMAND_SECONDS + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("`" + line + "` failed (exit " + process.exitValue() + "): " + output
                        + " (it needs root or CAP_NET_ADMIN)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `" + line + "`: " + e.getMessage()
                    + " (install iproute2, or configure the host side yourself)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + line + "`", e);
        }
    }
}
