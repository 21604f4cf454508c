package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.v3.zstd.ZstdJavaDecompressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentCoding;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlogServerInitializerTest {

    /** Large enough for a zstd variant ({@code BundleEntry.ZSTD_FROM}). */
    private static final String INDEX = "<!doctype html><h1>Index</h1>\n" + "<p>A post about TCP.</p>\n".repeat(1400);
    private static final SiteBundle BUNDLE = SiteBundle.of(List.of(
            BundleEntry.of("/index.html", ContentTypes.HTML, utf8(INDEX)),
            BundleEntry.of("/posts/fin/index.html", ContentTypes.HTML, utf8("<h1>FIN</h1>")),
            BundleEntry.of("/404.html", ContentTypes.HTML, utf8("<h1>Page not found</h1>")),
            BundleEntry.of("/images/my dot.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T12:00:00Z"), ZoneOffset.UTC);

    private final EmbeddedChannel channel =
            new EmbeddedChannel(new BlogServerInitializer(BUNDLE, Duration.ofSeconds(30), CLOCK));

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    /** A response as the client sees it on the wire. */
    record Response(String statusLine, Map<String, String> headers, byte[] body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends raw request bytes and parses every response written back. */
    private List<Response> exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        var wire = new ByteArrayOutputStream();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            try {
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                wire.writeBytes(bytes);
            } finally {
                out.release();
            }
        }
        return parse(wire.toByteArray(), request.startsWith("HEAD"));
    }

    private Response get(String request) {
        List<Response> responses = exchange(request);
        assertThat(responses).hasSize(1);
        return responses.getFirst();
    }

    private static List<Response> parse(byte[] wire, boolean head) {
        var responses = new ArrayList<Response>();
        int at = 0;
        while (at < wire.length) {
            String rest = new String(wire, at, wire.length - at, StandardCharsets.ISO_8859_1);
            int end = rest.indexOf("\r\n\r\n");
            String[] lines = rest.substring(0, end).split("\r\n");
            var headers = new LinkedHashMap<String, String>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            int length = head || status == 304 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            int bodyStart = at + end + 4;
            responses.add(new Response(lines[0], headers, Arrays.copyOfRange(wire, bodyStart, bodyStart + length)));
            at = bodyStart + length;
        }
        return responses;
    }

    @Test
    void getRootServesTheIndexWithLengthTypeAndEtag() {
        Response response = get("GET / HTTP/1.1\r\nHost: blog\r\n\r\n");

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(response.text()).isEqualTo(INDEX);
        assertThat(response.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(utf8(INDEX).length));
        assertThat(response.header("etag")).isEqualTo(BundleEntry.etagOf(utf8(INDEX)));
        assertThat(response.header("vary")).isEqualTo("accept-encoding");
        assertThat(response.header("date")).isEqualTo("Sat, 14 Mar 2026 12:00:00 GMT");
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.header("server")).as("no version banner").isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void headHasTheSameHeadersAndNoBody() {
        Response get = get("GET /posts/fin/ HTTP/1.1\r\nHost: blog\r\n\r\n");
        channel.writeInbound(Unpooled.copiedBuffer("HEAD /posts/fin/ HTTP/1.1\r\nHost: blog\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf out = channel.readOutbound();
        String wire;
        try {
            wire = out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
        assertThat((Object) channel.readOutbound()).isNull();

        assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
        assertThat(wire).contains("content-length: " + get.body().length + "\r\n");
        assertThat(wire).contains("etag: " + get.header("etag") + "\r\n");
    }

    @Test
    void unknownPathGetsThe404Page() {
        Response response = get("GET /no/such/page HTTP/1.1\r\nHost: blog\r\n\r\n");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo("<h1>Page not found</h1>");
        assertThat(response.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.header("etag")).isNull();
        assertThat(channel.isOpen()).as("an error response keeps the connection").isTrue();
    }

    @Test
    void otherMethodsGet405WithAllowAndKeepTheConnectionWhenBodiless() {
        Response response = get("POST / HTTP/1.1\r\nHost: blog\r\n\r\n");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("allow")).isEqualTo("GET, HEAD");
        assertThat(channel.isOpen()).isTrue();
        assertThat(get("GET /posts/fin/ HTTP/1.1\r\nHost: blog\r\n\r\n").text()).isEqualTo("<h1>FIN</h1>");
    }

    @Test
    void otherMethodsWithABodyGet405AndAClose() {
        Response response = get("POST / HTTP/1.1\r\nHost: blog\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(channel.isOpen()).as("the body is never read: the connection ends").isFalse();
    }

    @Test
    void matchingIfNoneMatchGets304WithoutBody() {
        String etag = get("GET / HTTP/1.1\r\nHost: blog\r\n\r\n").header("etag");

        Response response = get("GET / HTTP/1.1\r\nHost: blog\r\nIf-None-Match: \"other\", " + etag + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("etag")).isEqualTo(etag);
        assertThat(response.body()).isEmpty();
        assertThat(get("GET / HTTP/1.1\r\nHost: blog\r\nIf-None-Match: \"other\"\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void gzipVariantIsServedWhenAsked() throws IOException {
        Response response = get("GET / HTTP/1.1\r\nHost: blog\r\nAccept-Encoding: br, gzip;q=0.8\r\n\r\n");

        assertThat(response.header("content-encoding")).isEqualTo("gzip");
        assertThat(response.header("vary")).isEqualTo("accept-encoding");
        assertThat(response.header("etag")).endsWith("-gzip\"");
        assertThat(Integer.parseInt(response.header("content-length"))).isLessThan(utf8(INDEX).length);
        try (var gunzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(gunzip.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(INDEX);
        }
    }

    @Test
    void gzipIsNotServedWhenRefusedOrUseless() {
        assertThat(get("GET / HTTP/1.1\r\nHost: b\r\nAccept-Encoding: gzip;q=0, br\r\n\r\n").header("content-encoding"))
                .isNull();
        Response png = get("GET /images/my%20dot.png HTTP/1.1\r\nHost: b\r\nAccept-Encoding: gzip\r\n\r\n");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.header("content-type")).isEqualTo("image/png");
        assertThat(png.header("content-encoding")).isNull();
        assertThat(png.header("vary")).isNull();
    }

    @Test
    void acceptEncodingIsReadWithWeights() {
        Set<ContentCoding> gzipOnly = EnumSet.of(ContentCoding.IDENTITY, ContentCoding.GZIP);
        assertThat(ContentCoding.negotiate("gzip, deflate", gzipOnly)).isEqualTo(ContentCoding.GZIP);
        assertThat(ContentCoding.negotiate("x-gzip", gzipOnly)).isEqualTo(ContentCoding.GZIP);
        assertThat(ContentCoding.negotiate("*", gzipOnly)).isEqualTo(ContentCoding.GZIP);
        assertThat(ContentCoding.negotiate("*;q=0.1, gzip;q=0", gzipOnly)).isEqualTo(ContentCoding.IDENTITY);
        assertThat(ContentCoding.negotiate("identity", gzipOnly)).isEqualTo(ContentCoding.IDENTITY);
        assertThat(ContentCoding.negotiate(null, gzipOnly)).isEqualTo(ContentCoding.IDENTITY);
        assertThat(ContentCoding.negotiate("zstd", gzipOnly)).as("no zstd variant").isEqualTo(ContentCoding.IDENTITY);
    }

    @Test
    void zstdIsPreferredOnATieAndWeightsDecideOtherwise() {
        Set<ContentCoding> all = EnumSet.allOf(ContentCoding.class);
        assertThat(ContentCoding.negotiate("gzip, deflate, br, zstd", all)).isEqualTo(ContentCoding.ZSTD);
        assertThat(ContentCoding.negotiate("*", all)).isEqualTo(ContentCoding.ZSTD);
        assertThat(ContentCoding.negotiate("zstd;q=0.5, gzip", all)).isEqualTo(ContentCoding.GZIP);
        assertThat(ContentCoding.negotiate("zstd;q=0, *", all)).isEqualTo(ContentCoding.GZIP);
        assertThat(ContentCoding.negotiate("zstd;q=abc, gzip;q=0", all)).isEqualTo(ContentCoding.IDENTITY);
    }

    @Test
    void zstdVariantIsServedWhenAskedAndDecodesToThePage() {
        Response response = get("GET / HTTP/1.1\r\nHost: blog\r\nAccept-Encoding: gzip, zstd\r\n\r\n");

        assertThat(response.header("content-encoding")).isEqualTo("zstd");
        assertThat(response.header("vary")).isEqualTo("accept-encoding");
        assertThat(response.header("etag")).endsWith("-zstd\"");
        byte[] decoded = new byte[utf8(INDEX).length];
        int n = new ZstdJavaDecompressor().decompress(response.body(), 0, response.body().length, decoded, 0, decoded.length);
        assertThat(new String(decoded, 0, n, StandardCharsets.UTF_8)).isEqualTo(INDEX);

        String etag = response.header("etag");
        Response revalidated = get("GET / HTTP/1.1\r\nHost: blog\r\nAccept-Encoding: zstd\r\nIf-None-Match: " + etag + "\r\n\r\n");
        assertThat(revalidated.status()).isEqualTo(304);
    }

    @Test
    void connectionCloseIsAnsweredThenTheChannelIsClosed() {
        Response response = get("GET / HTTP/1.1\r\nHost: blog\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(channel.isOpen()).as("closed after the response: the server says goodbye").isFalse();
    }

    @Test
    void requestsPipelinedBehindACloseAreDropped() {
        List<Response> responses = exchange("GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
                + "GET /posts/fin/ HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(responses).hasSize(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void keepAliveIsTheDefaultForHttp11() {
        List<Response> responses = exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\nGET /posts/fin/ HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(responses).extracting(Response::status).containsExactly(200, 200);
        assertThat(responses.get(1).text()).isEqualTo("<h1>FIN</h1>");
        assertThat(responses).allSatisfy(r -> assertThat(r.header("connection")).isNull());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void http10ClosesUnlessItAsksForKeepAlive() {
        Response kept = get("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(kept.header("connection")).isEqualTo("keep-alive");
        assertThat(channel.isOpen()).isTrue();

        Response closed = get("GET / HTTP/1.0\r\n\r\n");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void healthEndpointAnswersTheBundleHash() {
        Response response = get("GET /.well-known/morgana/health HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.text()).isEqualTo(BUNDLE.bundleHash());
        assertThat(response.header("cache-control")).isEqualTo("no-store");
    }

    @Test
    void directoryWithoutSlashIsRedirected() {
        Response response = get("GET /posts/fin?x=1 HTTP/1.1\r\nHost: b\r\n\r\n");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("location")).isEqualTo("/posts/fin/");
    }

    @Test
    void absoluteFormAndQueryStringsFindThePage() {
        assertThat(get("GET http://blog/posts/fin/?utm=x HTTP/1.1\r\nHost: blog\r\n\r\n").text()).isEqualTo("<h1>FIN</h1>");
    }

    @Test
    void malformedRequestGets400AndAClose() {
        Response response = get("GET / HTTP/1.1\r\nHost: b\r\nContent-Length: nope\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void badRequestTargetGets400AndAClose() {
        assertThat(get("GET /%zz HTTP/1.1\r\nHost: b\r\n\r\n").status()).isEqualTo(400);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void idleConnectionIsClosedAfterTheTimeout() {
        get("GET / HTTP/1.1\r\nHost: b\r\n\r\n");

        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }
}
