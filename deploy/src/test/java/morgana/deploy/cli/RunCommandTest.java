package morgana.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code morgana run}: its refusals in process, and a real run on a TAP inside a network namespace made here. */
class RunCommandTest {

    private static final String SITE = Path.of("..", "examples", "blog").toAbsolutePath().normalize().toString();

    @Test
    void refusesNetSocketRatherThanIgnoringIt() {
        StringWriter err = new StringWriter();

        int code = Morgana.execute(new PrintWriter(err, true), "run", SITE, "--net", "socket", "--tap", "mtap9",
                "--address", "10.75.0.2/24");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("morgana run always serves through Morgana's own stack (--net direct);"
                + " for the host's sockets use `morgana serve --net socket`");
    }

    @Test
    void refusesAHostAddressOffTheStacksNetworkBeforeTouchingAnyDevice() {
        StringWriter err = new StringWriter();

        int code = Morgana.execute(new PrintWriter(err, true), "run", SITE, "--tap", "mtap9", "--address",
                "10.75.0.2/24", "--host-address", "10.76.0.1/24");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--host-address 10.76.0.1/24 must be another address on the stack's"
                + " network 10.75.0.2/24");
    }

    @Test
    void setsUpTheHostSidePrintsWhatItRanAndTheUrlAndServesThere() throws Exception {
        String ns = "morgana-run-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        run("ip", "netns", "add", ns);
        Process morgana = null;
        try {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), Morgana.class.getName(),
                    "run", SITE, "--tap", "mtap8", "--address", "10.75.0.2/24", "--host-address", "10.75.0.1/24",
                    "--persist"));
            morgana = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> printed = new ArrayList<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(morgana.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                printed.add(line);
                if (line.startsWith("morgana: serving")) {
                    break;
                }
            }
            assertThat(printed).as(String.join("\n", printed)).contains(
                    "morgana: mtap8 is persistent; remove it with `ip tuntap del dev mtap8 mode tap`",
                    "morgana: ran: ip address replace 10.75.0.1/24 dev mtap8",
                    "morgana: ran: ip link set dev mtap8 up",
                    "morgana: serving " + SITE + " on http://10.75.0.2:80/ through Morgana's stack on mtap8");

            String page = run("ip", "netns", "exec", ns, "curl", "-sS", "--fail", "-m", "20", "http://10.75.0.2/");
            assertThat(page).contains("Notes from PID 1");

            morgana.destroy();
            assertThat(morgana.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(run("ip", "netns", "exec", ns, "ip", "-o", "link", "show", "dev", "mtap8"))
                    .as("persistent: the TAP outlives morgana").contains("mtap8");
        } finally {
            if (morgana != null) {
                morgana.destroyForcibly();
                morgana.waitFor(10, TimeUnit.SECONDS);
            }
            run("ip", "netns", "delete", ns);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
        return output;
    }
}
