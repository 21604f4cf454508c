package morgana.blog.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;

/** One connection to the blog's pipeline in an {@link EmbeddedChannel}, spoken to in raw bytes. */
final class ServerUnderTest implements AutoCloseable {

    static final String INDEX = "<!doctype html><h1>Index</h1>\n" + "<p>A post about TCP.</p>\n".repeat(40);
    static final SiteBundle BUNDLE = SiteBundle.of(List.of(
            BundleEntry.of("/index.html", ContentTypes.HTML, utf8(INDEX)),
            BundleEntry.of("/posts/fin/index.html", ContentTypes.HTML, utf8("<h1>FIN</h1>")),
            BundleEntry.of("/2013/09/fin.html", ContentTypes.REDIRECT, utf8("/posts/fin/")),
            BundleEntry.of("/404.html", ContentTypes.HTML, utf8("<h1>Page not found</h1>")),
            BundleEntry.of("/assets/app.3f9a1c2e.css", ContentTypes.CSS, utf8("body{margin:0}")),
            BundleEntry.of("/images/plain.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6})));
    static final Instant NOW = Instant.parse("2026-03-14T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final List<String> log = new ArrayList<>();
    final BlogServerInitializer initializer;
    final EmbeddedChannel channel;

    ServerUnderTest() {
        this(HttpServerConfig.defaults());
    }

    /** {@code config} with the fixed clock and this object's log. */
    ServerUnderTest(HttpServerConfig config) {
        this.initializer = new BlogServerInitializer(BUNDLE, config.withClock(CLOCK).withAccessLog(log::add, 1000, 1000));
        this.channel = new EmbeddedChannel(initializer);
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

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends raw request bytes (ISO-8859-1) and parses every response written back. */
    List<Response> exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        var heads = new ArrayList<Boolean>();
        Matcher method = REQUEST_START.matcher(request);
        while (method.find()) {
            heads.add(method.group(1).equals("HEAD"));
        }
        return parse(written(), heads);
    }

    /** Exactly one response to {@code request}. */
    Response send(String request) {
        List<Response> responses = exchange(request);
        if (responses.size() != 1) {
            throw new AssertionError("expected one response, got " + responses.size() + ": " + responses);
        }
        return responses.getFirst();
    }

    Response get(String path, String... headerLines) {
        return send("GET " + path + " HTTP/1.1\r\nHost: blog\r\n" + String.join("", Arrays.stream(headerLines)
                .map(h -> h + "\r\n").toList()) + "\r\n");
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    byte[] written() {
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
        return wire.toByteArray();
    }

    /** A request's method: at the start, or after the blank line that ends the one before. */
    private static final Pattern REQUEST_START = Pattern.compile("(?:^|\r\n\r\n)([A-Za-z]+) ");

    /** The responses in {@code wire}; the n-th has no body if {@code heads.get(n)} (answers a HEAD). */
    static List<Response> parse(byte[] wire, List<Boolean> heads) {
        var responses = new ArrayList<Response>();
        int at = 0;
        while (at < wire.length) {
            String rest = new String(wire, at, wire.length - at, StandardCharsets.ISO_8859_1);
            int end = rest.indexOf("\r\n\r\n");
            String[] lines = rest.substring(0, end).split("\r\n");
            var headers = new LinkedHashMap<String, String>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
                if (headers.containsKey(name)) {
                    throw new AssertionError("header " + name + " twice in " + rest.substring(0, end));
                }
                headers.put(name, lines[i].substring(colon + 1).strip());
            }
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            boolean head = responses.size() < heads.size() && heads.get(responses.size());
            int length = head || status == 304 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            int bodyStart = at + end + 4;
            responses.add(new Response(lines[0], headers, Arrays.copyOfRange(wire, bodyStart, bodyStart + length)));
            at = bodyStart + length;
        }
        return responses;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
