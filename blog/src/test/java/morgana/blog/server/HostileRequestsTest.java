package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What port 80 gets thrown at it: every one of these is a 4xx/5xx and, where the stream is suspect, a close. */
class HostileRequestsTest {

    private final ServerUnderTest server = new ServerUnderTest(HttpServerConfig.defaults().withHeaderLimits(256, 512, 10));

    @AfterEach
    void release() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/%2e%2e/%2e%2e/etc/passwd", "/../etc/passwd", "/posts/../../x", "/./index.html", "/posts/.", "/%2E%2E",
            "/%00", "/index.html%00.png", "/a%0d%0ab", "/%7f", "/%c0%ae%c0%ae/", "/%e0%80%ae", "/%c0%af", "/%ff",
            "/%ed%a0%80", "/\\..\\win", "/%5c..%5cwin", "/a%2fb", "/%zz", "/%", "/%4", "/#top", "*", "index.html",
            "ftp://blog/", "http:///x", "http://bad host/", "//"})
    void refusesATargetThatCouldEscapeOrConfuseWith400AndCloses(String target) {
        ServerUnderTest.Response response = server.send("GET " + target + " HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(response.status()).as(target).isIn(400, 404);
        if (!target.equals("//")) {
            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(server.isOpen()).isFalse();
        }
    }

    @Test
    void refusesATooLongRequestLineWith414() {
        ServerUnderTest.Response response = server.send("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(response.status()).isEqualTo(414);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void refusesTooLargeHeadersWith431() {
        ServerUnderTest.Response response = server.send("GET / HTTP/1.1\r\nHost: b\r\nX: " + "b".repeat(600) + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(431);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void refusesTooManyHeaderFieldsWith431() {
        ServerUnderTest.Response response = server.send("GET / HTTP/1.1\r\nHost: b\r\n" + "X: 1\r\n".repeat(10) + "\r\n");

        assertThat(response.status()).isEqualTo(431);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void acceptsExactlyTheHeaderCountLimit() {
        assertThat(server.send("GET / HTTP/1.1\r\nHost: b\r\n" + "X: 1\r\n".repeat(9) + "\r\n").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Host: a\r\nHost: b\r\n", "Host: a b\r\n", "Host: a/b\r\n", "Host: a:8x\r\n",
            "Host: [::1\r\n", "Host: user@evil\r\n"})
    void refusesHttp11WithoutExactlyOneValidHostWith400(String hostLines) {
        assertThat(server.send("GET / HTTP/1.1\r\n" + hostLines + "\r\n").status()).isEqualTo(400);
        assertThat(server.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host: blog\r\n", "Host: blog:8080\r\n", "Host: 10.0.0.2\r\n", "Host: [::1]:80\r\n", "Host:\r\n"})
    void acceptsValidHostValues(String hostLine) {
        assertThat(server.send("GET / HTTP/1.1\r\n" + hostLine + "\r\n").status()).isEqualTo(200);
    }

    @Test
    void http10NeedsNoHost() {
        assertThat(server.send("GET / HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void acceptsAbsoluteFormWhateverTheHost() {
        ServerUnderTest.Response response = server.send("GET http://elsewhere.example:81/posts/fin/?x HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(response.text()).isEqualTo("<h1>FIN</h1>");
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void answersExpect100ContinueWithoutABodyWithTheFinalResponseOnly() {
        byte[] wire = wireOf("GET / HTTP/1.1\r\nHost: b\r\nExpect: 100-continue\r\n\r\n");

        assertThat(new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 ")
                .doesNotContain("100 Continue");
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void answersExpect100ContinueWithABodyWith413NeverContinue() {
        byte[] wire = wireOf("GET / HTTP/1.1\r\nHost: b\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");

        assertThat(new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 413 ")
                .doesNotContain("100 Continue");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void answersAnUnknownExpectationWith417() {
        assertThat(server.get("/", "Expect: teapot").status()).isEqualTo(417);
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void ignoresExpectInHttp10() {
        assertThat(server.send("GET / HTTP/1.0\r\nExpect: teapot\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void answersOtherMajorVersionsWith505() {
        assertThat(server.send("GET / HTTP/2.0\r\nHost: b\r\n\r\n").status()).isEqualTo(505);
        assertThat(server.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1x\r\nHost: b\r\n\r\n", "GET / HTTP/1.1\r\nHost: b\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: b\r\nX-A : 1\r\n\r\n", "GET / HTTP/1.1\r\nHost: b\r\nX: a\u0000b\r\n\r\n",
            "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n"})
    void answersUnparseableRequestsWith400AndCloses(String raw) {
        assertThat(server.send(raw).status()).isEqualTo(400);
        assertThat(server.isOpen()).isFalse();
    }

    /** Seeded: any path of safe characters, with any of its bytes percent-encoded, decodes to itself. */
    @ParameterizedTest
    @MethodSource("seeds")
    void percentEncodingAnySafeByteDecodesToTheSamePath(long seed) {
        var random = new Random(seed);
        String alphabet = "abcXYZ019-_~.!$&'()*+,;=:@é中";
        var path = new StringBuilder();
        for (int segments = 1 + random.nextInt(4); segments > 0; segments--) {
            path.append('/');
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                path.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        String plain = path.toString();
        if (Stream.of(plain.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
            return; // a dot segment is refused, encoded or not: checked elsewhere
        }
        var encoded = new StringBuilder();
        for (byte b : plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            boolean mustEncode = b < 0;
            if (b != '/' && (mustEncode || random.nextInt(3) == 0)) {
                encoded.append(String.format("%%%02X", b & 0xFF));
            } else {
                encoded.append((char) b);
            }
        }
        assertThat(RequestTarget.parse(encoded.toString())).map(RequestTarget::path).contains(plain);
    }

    /** Seeded: whatever bytes are encoded, a decoded path never has a dot segment, a control character or a backslash. */
    @ParameterizedTest
    @MethodSource("seeds")
    void noEncodedInputDecodesToAnEscapingPath(long seed) {
        var random = new Random(seed);
        String pieces = "/.%2e%2E%2f%5c%00%c0%ae%af%80%e0%ff%0aa";
        for (int trial = 0; trial < 200; trial++) {
            var target = new StringBuilder("/");
            for (int n = random.nextInt(12); n > 0; n--) {
                int at = random.nextInt(pieces.length());
                target.append(pieces.charAt(at) == '%' && at + 2 < pieces.length() ? pieces.substring(at, at + 3) : pieces.charAt(at));
            }
            Optional<RequestTarget> parsed = RequestTarget.parse(target.toString());
            parsed.ifPresent(t -> {
                assertThat(t.path().split("/", -1)).as(target.toString()).doesNotContain(".", "..");
                assertThat(t.path()).as(target.toString()).doesNotContain("\\").doesNotContain("\u0000").doesNotContain("\n");
            });
        }
    }

    static IntStream seeds() {
        return IntStream.range(0, 25).map(i -> 0x5eed + i * 7919);
    }

    private byte[] wireOf(String request) {
        server.channel.writeInbound(io.netty.buffer.Unpooled.copiedBuffer(request, java.nio.charset.StandardCharsets.ISO_8859_1));
        return server.written();
    }
}
