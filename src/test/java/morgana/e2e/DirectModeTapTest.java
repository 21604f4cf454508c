package morgana.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code morgana run --net direct} on a TAP device inside a network namespace made for the test: the host
 * kernel's curl and ping talk to Morgana's own TCP/IP stack.
 */
class DirectModeTapTest {

    private static final String TAP = "mtap0";
    private static final String HOST_SIDE = "10.99.0.1/24";
    private static final String GUEST = "10.99.0.2";

    @Test
    void hostCurlAndPingReachTheUserspaceStackOnATap(@TempDir Path tmp) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create("morgana-e2e")) {
            ns.ip("tuntap", "add", "dev", TAP, "mode", "tap");
            ns.ip("addr", "add", HOST_SIDE, "dev", TAP);
            ns.ip("link", "set", TAP, "up");
            List<String> run = ns.inside(MorganaCli.command("run", ExampleBlog.site().toString(),
                    "--tap", TAP, "--address", GUEST + "/24", "--port", "80"));
            try (ChildProcess server = ChildProcess.start("morgana run --net direct", run, tmp, tmp.resolve("run.log"))) {
                String index = awaitCurl(ns, "http://" + GUEST + "/", server);
                assertThat(index).contains(ExampleBlog.siteTitle());
                ExampleBlog.Post post = ExampleBlog.publishedPosts().getFirst();
                String page = ns.exec(Duration.ofSeconds(20), "curl", "-sS", "--fail", "-m", "10", "http://" + GUEST + post.path());
                assertThat(page).contains("<h1>" + post.title() + "</h1>");

                String ping = ns.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-W", "2", GUEST);
                assertThat(ping).contains("3 packets transmitted, 3 received");
            }
        }
    }

    private static String awaitCurl(NetworkNamespace ns, String url, ChildProcess server) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "";
        while (Instant.now().isBefore(deadline) && server.isAlive()) {
            try {
                return ns.exec(Duration.ofSeconds(15), "curl", "-sS", "--fail", "-m", "5", url);
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
                Thread.sleep(500);
            }
        }
        throw new AssertionError("curl " + url + " never succeeded (last: " + last + ")\n" + server.report());
    }
}
