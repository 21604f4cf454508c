package morgana.blog.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import morgana.blog.site.BuildOptions;
import morgana.blog.site.TestSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve --watch: real sockets on localhost, a real file edit, the new page served and the browser told. */
class DevServerTest {

    @TempDir
    Path root;

    private DevServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DevServer start() throws Exception {
        server = DevServer.start(root, new InetSocketAddress("127.0.0.1", 0),
                BuildOptions.publishing(Instant.parse("2030-01-01T00:00:00Z")), new PrintStream(log, true), true);
        return server;
    }

    private HttpResponse<String> get(String path) throws Exception {
        var uri = URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesCarryTheReloadScriptWhichIsServed() throws Exception {
        TestSite.sample(root);
        start();

        assertThat(get("/posts/first-light/").body()).contains("<script src=\"/_morgana/reload.js\"></script>");
        assertThat(get("/_morgana/reload.js").body()).contains("new EventSource(\"/_morgana/events\")");
    }

    @Test
    void editingAPostServesTheNewPageAndTellsListeningBrowsersToReload() throws Exception {
        TestSite.sample(root);
        start();
        assertThat(get("/posts/first-light/").body()).contains("Hello from <strong>Morgana</strong>.");

        var events = URI.create("http://127.0.0.1:" + server.localAddress().getPort() + "/_morgana/events");
        CompletableFuture<String> reloadEvent = http.sendAsync(HttpRequest.newBuilder(events).build(),
                        HttpResponse.BodyHandlers.ofLines())
                .thenApply(response -> response.body().filter(line -> line.startsWith("event:")).findFirst().orElse(""));
        awaitListener();

        Path post = root.resolve("posts/2026-03-01-first-light.md");
        Files.writeString(post, Files.readString(post).replace("Hello from **Morgana**.", "Edited while serving."));

        assertThat(reloadEvent.get(20, TimeUnit.SECONDS)).isEqualTo("event: reload");
        assertThat(get("/posts/first-light/").body()).contains("Edited while serving.");
        assertThat(get("/").body()).as("the index lists it").contains("The first post.");
        assertThat(log.toString()).contains("morgana: rebuilt in ").contains("1 posts read");
    }

    @Test
    void aBadEditIsReportedAndTheLastGoodSiteStaysServed() throws Exception {
        TestSite.sample(root);
        start();
        Files.writeString(root.resolve("posts/2026-03-01-first-light.md"), "---\ntitle: [unclosed\n---\n");

        assertThat(server.rebuild()).isFalse();
        assertThat(log.toString()).contains("first-light.md:2: invalid YAML").contains("still serving the last good build");
        assertThat(get("/posts/first-light/").statusCode()).isEqualTo(200);
    }

    private void awaitListener() throws InterruptedException {
        // the events request is asynchronous: wait until the server holds it (bounded, never a hang)
        for (int i = 0; i < 200 && server.listenerCount() == 0; i++) {
            Thread.sleep(25);
        }
        assertThat(server.listenerCount()).isEqualTo(1);
    }
}
