package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When the server closes a connection (RFC 9112 §9), and that it always does so itself. */
class ClosingConnectionsTest {

    private final ServerUnderTest server = new ServerUnderTest(HttpServerConfig.defaults()
            .withIdleTimeout(Duration.ofSeconds(5)).withHeaderReadTimeout(Duration.ofSeconds(2)));

    @AfterEach
    void release() {
        server.close();
    }

    @Test
    void closesAnIdleKeepAliveConnectionAfterTheIdleTimeoutAndCountsIt() {
        assertThat(server.get("/").status()).isEqualTo(200);

        server.channel.advanceTimeBy(4, TimeUnit.SECONDS);
        server.channel.runScheduledPendingTasks();
        assertThat(server.isOpen()).isTrue();

        server.channel.advanceTimeBy(2, TimeUnit.SECONDS);
        server.channel.runScheduledPendingTasks();
        assertThat(server.isOpen()).isFalse();
        assertThat(server.initializer.stats().connectionsClosedIdle()).isEqualTo(1);
    }

    @Test
    void closesAConnectionThatNeverSendsAnything() {
        server.channel.advanceTimeBy(6, TimeUnit.SECONDS);
        server.channel.runScheduledPendingTasks();

        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void answersPipelinedRequestsInOrderAndKeepsTheConnection() {
        List<ServerUnderTest.Response> responses = server.exchange("GET /posts/fin/ HTTP/1.1\r\nHost: b\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: b\r\n\r\nHEAD / HTTP/1.1\r\nHost: b\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(responses).extracting(ServerUnderTest.Response::status).containsExactly(200, 404, 200, 200);
        assertThat(responses.getFirst().text()).isEqualTo("<h1>FIN</h1>");
        assertThat(responses.get(2).body()).as("HEAD: headers only").isEmpty();
        assertThat(responses.get(3).text()).isEqualTo(ServerUnderTest.INDEX);
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void closesAfterAnErrorPipelinedBehindGoodRequestsAndAnswersNothingAfterIt() {
        List<ServerUnderTest.Response> responses = server.exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"
                + "GET /%00 HTTP/1.1\r\nHost: b\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(responses).extracting(ServerUnderTest.Response::status).containsExactly(200, 400);
        assertThat(responses.get(1).header("connection")).isEqualTo("close");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void closesAfterAnHttp10ResponseAndSaysSo() {
        ServerUnderTest.Response response = server.send("GET / HTTP/1.0\r\n\r\n");

        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void refusesAGetWithABodyWith413AndClosesWithoutReadingIt() {
        ServerUnderTest.Response response = server.send("GET / HTTP/1.1\r\nHost: b\r\nContent-Length: 100000\r\n\r\nabc");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void refusesAChunkedBodyWith413() {
        ServerUnderTest.Response response = server.send("GET / HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(response.status()).isEqualTo(413);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void rejectsContentLengthWithTransferEncodingAs400AndCloses() {
        ServerUnderTest.Response response = server.send("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        assertThat(response.status()).as("no request smuggling: two framings is one too many").isEqualTo(400);
        assertThat(server.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Transfer-Encoding: gzip\r\n",
            "Transfer-Encoding: chunked, gzip\r\n",
            "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
            "Content-Length: 1\r\nContent-Length: 2\r\n",
            "Content-Length: -1\r\n",
            "Content-Length: 0x10\r\n",
            "Content-Length: 1, 2\r\n"})
    void rejectsAmbiguousOrUnknownFramingAs400AndCloses(String framing) {
        ServerUnderTest.Response response = server.send("GET / HTTP/1.1\r\nHost: b\r\n" + framing + "\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void rejectsChunkedOnHttp10As400() {
        assertThat(server.send("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").status()).isEqualTo(400);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void closesWhenARequestHeadIsNotCompleteWithinTheHeaderReadTimeout() {
        server.exchange("GET / HTTP/1.1\r\n");
        server.channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        server.channel.runScheduledPendingTasks();
        server.exchange("Host: b\r\n"); // trickling keeps the idle timeout away, not this one
        server.channel.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        server.channel.runScheduledPendingTasks();

        assertThat(server.isOpen()).isFalse();
        assertThat(server.initializer.stats().headerReadTimeouts()).isEqualTo(1);
    }

    @Test
    void aCompleteHeadInTimeDisarmsTheHeaderReadTimeout() {
        server.exchange("GET / HTTP/1.1\r\n");
        server.channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        assertThat(server.exchange("Host: b\r\n\r\n")).hasSize(1);
        server.channel.advanceTimeBy(3, TimeUnit.SECONDS);
        server.channel.runScheduledPendingTasks();

        assertThat(server.isOpen()).isTrue();
        assertThat(server.initializer.stats().headerReadTimeouts()).isZero();
    }
}
