package morgana.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code morgana serve --net socket}: the blog's pipeline on the host's own TCP, as a writer uses it. */
class SocketModeTest {

    @Test
    void servesTheExampleBlogOnHostSockets(@TempDir Path tmp) throws Exception {
        int port = freePort();
        try (ChildProcess server = ChildProcess.start("morgana serve --net socket",
                MorganaCli.command("serve", ExampleBlog.site().toString(), "--net", "socket", "--port", String.valueOf(port)),
                tmp, tmp.resolve("serve.log"))) {
            String base = "http://127.0.0.1:" + port;
            HttpResponse<String> index = HttpProbe.awaitOk(base + "/", Duration.ofSeconds(60), server::report);
            assertThat(index.body()).contains(ExampleBlog.siteTitle());
            for (ExampleBlog.Post post : ExampleBlog.publishedPosts()) {
                assertThat(index.body()).as("index lists %s", post.slug()).contains(post.title());
                HttpResponse<String> page = HttpProbe.get(base + post.path());
                assertThat(page.statusCode()).as(post.path()).isEqualTo(200);
                assertThat(page.body()).contains("<h1>" + post.title() + "</h1>");
            }
            assertThat(HttpProbe.get(base + "/no/such/page").statusCode()).isEqualTo(404);
            List<ExampleBlog.Post> withAliases = ExampleBlog.publishedPosts().stream()
                    .filter(p -> !p.aliases().isEmpty()).toList();
            assertThat(withAliases).as("the example blog shows aliases off").isNotEmpty();
            for (ExampleBlog.Post post : withAliases) {
                for (String alias : post.aliases()) {
                    HttpResponse<String> moved = HttpProbe.get(base + alias);
                    assertThat(moved.statusCode()).as(alias).isEqualTo(301);
                    assertThat(moved.headers().firstValue("location")).as(alias).contains(post.path());
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
