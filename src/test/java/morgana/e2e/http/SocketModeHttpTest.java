package morgana.e2e.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import morgana.e2e.ChildProcess;
import morgana.e2e.ExampleBlog;
import morgana.e2e.HttpProbe;
import morgana.e2e.MorganaCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code morgana serve --net socket} against the nasty-request corpus and curl: the host kernel's TCP,
 * our HTTP pipeline.
 */
class SocketModeHttpTest {

    @TempDir
    static Path tmp;
    private static ChildProcess server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        port = freePort();
        server = ChildProcess.start("morgana serve --net socket",
                MorganaCli.command("serve", ExampleBlog.site().toString(), "--net", "socket", "--port", String.valueOf(port)),
                tmp, tmp.resolve("serve.log"));
        HttpProbe.awaitOk(base() + "/", Duration.ofSeconds(60), server::report);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void everyNastyRequestGetsItsStatusAndTheConnectionEndsAsItShould() throws Exception {
        var out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CorpusClient.main(new String[] {"127.0.0.1", String.valueOf(port), ExampleBlog.publishedPosts().getFirst().path()
                    .replaceFirst("/$", "")});
        } finally {
            System.setOut(original);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        System.out.println("socket mode corpus:\n" + report);
        assertThat(report).as(report).doesNotContain(" FAIL ");
        assertThat(report).contains("DONE " + NastyRequest.corpus("/x").size() + "/");
        assertThat(server.output()).as("the access log is on the console, in Common Log Format")
                .containsPattern("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] \"GET / HTTP/1\\.1\" 200 \\d+");
    }

    @Test
    void curlSpeaksHttp10And11RangesAndGzip() throws Exception {
        CurlChecks.check(command -> ChildProcess.run(Duration.ofSeconds(20), command), base());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
