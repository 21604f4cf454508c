package morgana.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code morgana serve --watch}: the command itself, on a localhost socket, picking up an edit. */
class ServeCommandTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void serveWatchServesTheEditedPostWithoutARestart(@TempDir Path tmp) throws Exception {
        Path site = tmp.resolve("s");
        Files.createDirectories(site.resolve("posts"));
        Files.writeString(site.resolve("morgana.yaml"), "title: T\nbase_url: \"http://127.0.0.1:8080/\"\n");
        Path post = site.resolve("posts/p.md");
        Files.writeString(post, "---\ntitle: Before\ndate: 2026-01-01\n---\nFirst version.\n");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Thread serving = Thread.ofPlatform().daemon().start(() ->
                CliRun.of("serve", site.toString(), "--watch", "--port", Integer.toString(port)));
        try {
            assertThat(awaitBody(port, "/posts/p/", "First version.")).contains("<script src=\"/_morgana/reload.js\">");

            Files.writeString(post, "---\ntitle: After\ndate: 2026-01-01\n---\nSecond version.\n");

            assertThat(awaitBody(port, "/posts/p/", "Second version.")).contains("<h1>After</h1>");
        } finally {
            serving.interrupt();
            serving.join(Duration.ofSeconds(10));
        }
        assertThat(serving.isAlive()).isFalse();
    }

    /** Polls until the page holds {@code expected}; bounded (about 20 s), so a broken server fails, never hangs. */
    private String awaitBody(int port, String path, String expected) throws Exception {
        String last = "";
        for (int i = 0; i < 200; i++) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains(expected)) {
                    return last;
                }
            } catch (java.io.IOException notYetListening) {
                // the server is still starting
            }
            Thread.sleep(100);
        }
        assertThat(last).as("page %s never showed %s", path, expected).contains(expected);
        return last;
    }
}
