package morgana.e2e.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
    void curlSpeaksHttp10And11RangesZstdAndGzip() throws Exception {
        CurlChecks.check(command -> ChildProcess.run(Duration.ofSeconds(20), command), base());
    }

    /** Default header read timeout: 10 s from the first byte of a request head, however slowly it trickles. */
    @Test
    void slowlorisIsCutOffByTheHeaderReadTimeout() throws Exception {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            out.write("GET / HTTP/1.1\r\nHost: blog\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            String end = "still open";
            while (System.nanoTime() - start < 20_000_000_000L) {
                try {
                    int read = in.read();
                    end = read < 0 ? "closed" : "answered " + (char) read;
                    break;
                } catch (SocketTimeoutException quiet) {
                    out.write('z'); // one more byte of a header that never ends: never idle, never complete
                }
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(end).isEqualTo("closed");
            assertThat(seconds).as("closed by the 10 s header read timeout").isBetween(9L, 13L);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
