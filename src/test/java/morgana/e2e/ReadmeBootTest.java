package morgana.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, exactly as a newcomer types it: it builds the example blog into an image,
 * boots it under qemu, and serves it on 127.0.0.1:8080 through qemu's user-mode port forward. Every byte
 * of TCP/IP the guest answers with comes from Morgana's own stack, running as PID 1.
 */
class ReadmeBootTest {

    /** Under TCG a JVM boots slowly; this bounds the whole wait, not the usual time. */
    private static final Duration BOOT_PATIENCE = Duration.ofMinutes(6);

    @Test
    void readmeBootCommandServesTheExampleBlogFromQemu(@TempDir Path tmp) throws Exception {
        String command = readmeCommand(0);
        assertThat(command).isEqualTo("scripts/morgana boot examples/blog");
        long start = System.nanoTime();
        ProcessHandle qemu;
        try (ChildProcess boot = ChildProcess.start(command, List.of("bash", "-c", command), ExampleBlog.root(),
                tmp.resolve("boot.log"))) {
            HttpResponse<String> index = HttpProbe.awaitOk("http://127.0.0.1:8080/", BOOT_PATIENCE, boot::report);
            System.out.printf("readme boot: first HTTP 200 after %.1f s%n", (System.nanoTime() - start) / 1e9);
            assertThat(index.body()).contains(ExampleBlog.siteTitle());
            ExampleBlog.Post post = ExampleBlog.publishedPosts().getLast();
            assertThat(index.body()).contains(post.title());
            HttpResponse<String> page = HttpProbe.get("http://127.0.0.1:8080" + post.path());
            assertThat(page.statusCode()).as("%s\n%s", post.path(), boot.report()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>" + post.title() + "</h1>");
            assertThat(boot.output()).as("the guest console reaches the terminal").contains("morgana:");
            qemu = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                    .findFirst().orElseThrow(() -> new AssertionError("no qemu process under the boot command"));
        }
        assertThat(qemu.isAlive()).as("qemu is killed with the command").isFalse();
    }

    /** Line {@code n} of the README's first code block, without its comment. */
    static String readmeCommand(int n) throws IOException {
        List<String> lines = Files.readAllLines(ExampleBlog.root().resolve("README.md"));
        assertThat(lines.getFirst()).as("the README opens with its commands").startsWith("```");
        return lines.get(1 + n).replaceFirst("\\s+#.*$", "").trim();
    }
}
