package morgana.blog.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The access log in Common Log Format ({@code host ident authuser [date] "request" status bytes}), with a
 * token bucket in front of the sink so that a flood of requests cannot flood the console: lines over the
 * rate are counted, and the next line that gets through is preceded by how many were suppressed.
 * Shared by all connections of one server.
 */
final class AccessLog {

    private static final DateTimeFormatter CLF_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int MAX_REQUEST_LINE = 200;

    private final Consumer<String> sink;
    private final Clock clock;
    private final HttpStats stats;
    private final double perNano;
    private final double burst;
    private double tokens;
    private long lastRefill;
    private long suppressedSinceLastLine;

    AccessLog(HttpServerConfig config, HttpStats stats) {
        this.sink = config.accessLog();
        this.clock = config.clock();
        this.stats = stats;
        this.perNano = config.accessLogPerSecond() / 1e9;
        this.burst = config.accessLogBurst();
        this.tokens = burst;
        this.lastRefill = nanos(clock.instant());
    }

    /** Logs one exchange, unless over the rate. {@code requestLine} is what the client sent, or a placeholder. */
    void log(SocketAddress remote, String requestLine, int status, long bytes) {
        Instant now = clock.instant();
        String line;
        long suppressed;
        synchronized (this) {
            long t = nanos(now);
            tokens = Math.min(burst, tokens + Math.max(0, t - lastRefill) * perNano);
            lastRefill = Math.max(lastRefill, t);
            if (tokens < 1) {
                suppressedSinceLastLine++;
                stats.accessLogSuppressed();
                return;
            }
            tokens -= 1;
            suppressed = suppressedSinceLastLine;
            suppressedSinceLastLine = 0;
        }
        line = format(remote, now, requestLine, status, bytes);
        if (suppressed > 0) {
            sink.accept("access log: " + suppressed + " lines suppressed by the rate limit");
        }
        sink.accept(line);
    }

    static String format(SocketAddress remote, Instant when, String requestLine, int status, long bytes) {
        String host = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "-";
        return host + " - - [" + CLF_DATE.format(when) + "] \"" + printable(requestLine) + "\" " + status + " "
                + (bytes > 0 ? Long.toString(bytes) : "-");
    }

    /** The request line as it may appear between quotes on a console: no control characters, no quotes. */
    static String printable(String requestLine) {
        var out = new StringBuilder(Math.min(requestLine.length(), MAX_REQUEST_LINE) + 8);
        for (int i = 0; i < requestLine.length() && out.length() < MAX_REQUEST_LINE; i++) {
            char c = requestLine.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                out.append(String.format(Locale.ROOT, "\\x%02x", c & 0xFF));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_REQUEST_LINE) {
            out.append("...");
        }
        return out.toString();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
