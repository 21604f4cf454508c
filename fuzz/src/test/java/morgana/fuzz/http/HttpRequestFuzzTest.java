package morgana.fuzz.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.server.BlogServerInitializer;
import morgana.blog.server.HttpServerConfig;

/**
 * The request path as a client reaches it: arbitrary bytes, cut into arbitrary pieces, into the blog's whole
 * pipeline (Netty's decoder, our screening, the handler) in an {@link EmbeddedChannel}. Whatever comes in,
 * nothing escapes the pipeline, every byte written back belongs to a response that starts with a valid status
 * line of a status the server means to send (never a 500: that would be our bug), and the output stays within
 * what the requests could ask for.
 */
class HttpRequestFuzzTest {

    private static final SiteBundle BUNDLE = SiteBundle.of(List.of(
            BundleEntry.of("/index.html", ContentTypes.HTML, "<h1>Index</h1>\n".repeat(50).getBytes(StandardCharsets.UTF_8)),
            BundleEntry.of("/posts/fin/index.html", ContentTypes.HTML, "<h1>FIN</h1>".getBytes(StandardCharsets.UTF_8)),
            BundleEntry.of("/2013/09/fin.html", ContentTypes.REDIRECT, "/posts/fin/".getBytes(StandardCharsets.UTF_8)),
            BundleEntry.of("/404.html", ContentTypes.HTML, "<h1>Not found</h1>".getBytes(StandardCharsets.UTF_8)),
            BundleEntry.of("/style.0123456789.css", ContentTypes.CSS, "body{margin:0}".getBytes(StandardCharsets.UTF_8))));
    private static final HttpServerConfig CONFIG = HttpServerConfig.defaults()
            .withClock(Clock.fixed(Instant.parse("2026-03-14T12:00:00Z"), ZoneOffset.UTC))
            .withAccessLog(line -> { }, 1000, 1000);
    private static final Set<Integer> STATUSES = Set.of(100, 200, 206, 301, 304, 400, 404, 405, 408, 413, 414, 416,
            417, 431, 501, 505);
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [^\r\n]*\r\n");
    /** Every response is at most this much bigger than the largest entry: a generous head. */
    private static final int HEAD_ROOM = 4096;

    @FuzzTest
    void anyBytesGetWellFormedAnswersOrAClosedConnection(byte[] input) {
        var channel = new EmbeddedChannel(new BlogServerInitializer(BUNDLE, CONFIG));
        try {
            int piece = input.length == 0 ? 1 : 1 + (input[0] & 0x3F); // the client's writes: 1 to 64 bytes
            for (int at = Math.min(1, input.length); at < input.length && channel.isOpen(); at += piece) {
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
                channel.runPendingTasks();
            }
            channel.checkException();
            String wire = drain(channel);
            long requestsAtMost = 1 + countOf(input, (byte) '\n');
            assertThat((long) wire.length()).as("output within what the requests could ask for")
                    .isLessThanOrEqualTo(requestsAtMost * (HEAD_ROOM + 1000));
            if (!wire.isEmpty()) {
                Matcher status = STATUS_LINE.matcher(wire);
                assertThat(status.lookingAt()).as("the output starts with a status line: %s", abbreviate(wire)).isTrue();
                do {
                    int code = Integer.parseInt(status.group(1));
                    assertThat(STATUSES).as("status %d in %s", code, abbreviate(wire)).contains(code);
                } while (status.find());
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static String drain(EmbeddedChannel channel) {
        var out = new StringBuilder();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                out.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            } else if (msg instanceof io.netty.channel.FileRegion region) {
                out.append("\0".repeat((int) Math.min(region.count(), HEAD_ROOM)));
                region.release();
            } else {
                throw new AssertionError("the pipeline wrote " + msg.getClass().getName());
            }
        }
        return out.toString();
    }

    private static long countOf(byte[] input, byte b) {
        long n = 0;
        for (byte x : input) {
            if (x == b) {
                n++;
            }
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
