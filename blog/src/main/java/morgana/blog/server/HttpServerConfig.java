package morgana.blog.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the blog's HTTP server behaves towards its clients: timeouts, size limits, connection limits, the
 * security headers it adds and where its access log goes. Immutable; start from {@link #defaults()} and
 * change what you need with the {@code with...} methods.
 *
 * @param idleTimeout          a keep-alive connection with no traffic either way for this long is closed (FIN)
 * @param headerReadTimeout    a request head must be complete this long after its first byte, or the
 *                             connection is closed (slowloris)
 * @param lingerTimeout        after the last response of a connection the server sends its FIN and reads
 *                             (discarding) what the client still sends for at most this long before closing
 *                             (RFC 9112 §9.6: a plain close with unread input makes the kernel send RST)
 * @param maxRequestLineLength longer request lines get 414
 * @param maxHeaderBytes       longer header sections get 431
 * @param maxHeaderCount       more header fields than this get 431
 * @param maxConnections       more concurrent connections than this are closed as soon as they open
 * @param maxConnectionsPerIp  the same, per client address
 * @param contentSecurityPolicy the {@code Content-Security-Policy} of every response
 * @param hsts                 {@code Strict-Transport-Security} value, only when TLS is in front of the server
 * @param lastModified         the {@code Last-Modified} of every bundle entry: the bundle does not change while
 *                             the server runs, so the time it started is a safe upper bound (RFC 9110 §8.8.2.1)
 * @param clock                for {@code Date}, the access log and its rate limit
 * @param accessLog            where Common Log Format lines go (the console by default)
 * @param accessLogPerSecond   at most this many access log lines a second on average (a token bucket)...
 * @param accessLogBurst       ...and this many at once; lines over the limit are counted and reported
 */
public record HttpServerConfig(
        Duration idleTimeout,
        Duration headerReadTimeout,
        Duration lingerTimeout,
        int maxRequestLineLength,
        int maxHeaderBytes,
        int maxHeaderCount,
        int maxConnections,
        int maxConnectionsPerIp,
        String contentSecurityPolicy,
        Optional<String> hsts,
        Instant lastModified,
        Clock clock,
        Consumer<String> accessLog,
        double accessLogPerSecond,
        int accessLogBurst) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: https:;"
            + " object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public HttpServerConfig {
        positive("idleTimeout", idleTimeout);
        positive("headerReadTimeout", headerReadTimeout);
        positive("lingerTimeout", lingerTimeout);
        atLeast("maxRequestLineLength", maxRequestLineLength, 64);
        atLeast("maxHeaderBytes", maxHeaderBytes, 64);
        atLeast("maxHeaderCount", maxHeaderCount, 1);
        atLeast("maxConnections", maxConnections, 1);
        atLeast("maxConnectionsPerIp", maxConnectionsPerIp, 1);
        Objects.requireNonNull(contentSecurityPolicy, "contentSecurityPolicy");
        Objects.requireNonNull(hsts, "hsts");
        lastModified = Objects.requireNonNull(lastModified, "lastModified").truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(accessLog, "accessLog");
        if (!(accessLogPerSecond > 0)) {
            throw new IllegalArgumentException("accessLogPerSecond must be positive: " + accessLogPerSecond);
        }
        atLeast("accessLogBurst", accessLogBurst, 1);
    }

    /** 30 s idle, 10 s to send a request head, 8 KiB request line and headers, 100 fields, 1024 connections, 64 per address. */
    public static HttpServerConfig defaults() {
        Clock clock = Clock.systemUTC();
        return new HttpServerConfig(DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(10), Duration.ofSeconds(2),
                8192, 8192, 100, 1024, 64, DEFAULT_CONTENT_SECURITY_POLICY, Optional.empty(), clock.instant(),
                clock, System.out::println, 20, 100);
    }

    public HttpServerConfig withIdleTimeout(Duration value) {
        return new HttpServerConfig(value, headerReadTimeout, lingerTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts, lastModified, clock,
                accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withHeaderReadTimeout(Duration value) {
        return new HttpServerConfig(idleTimeout, value, lingerTimeout, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts, lastModified, clock,
                accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withLingerTimeout(Duration value) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, value, maxRequestLineLength, maxHeaderBytes,
                maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts, lastModified, clock,
                accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withHeaderLimits(int requestLineLength, int headerBytes, int headerCount) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, lingerTimeout, requestLineLength, headerBytes,
                headerCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts, lastModified, clock,
                accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withConnectionLimits(int total, int perIp) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, lingerTimeout, maxRequestLineLength,
                maxHeaderBytes, maxHeaderCount, total, perIp, contentSecurityPolicy, hsts, lastModified, clock,
                accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withHsts(String value) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, lingerTimeout, maxRequestLineLength,
                maxHeaderBytes, maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy,
                Optional.of(value), lastModified, clock, accessLog, accessLogPerSecond, accessLogBurst);
    }

    /** A clock for {@code Date} and the log; {@code Last-Modified} becomes its current instant. */
    public HttpServerConfig withClock(Clock value) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, lingerTimeout, maxRequestLineLength,
                maxHeaderBytes, maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts,
                value.instant(), value, accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withLastModified(Instant value) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, lingerTimeout, maxRequestLineLength,
                maxHeaderBytes, maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts,
                value, clock, accessLog, accessLogPerSecond, accessLogBurst);
    }

    public HttpServerConfig withAccessLog(Consumer<String> sink, double perSecond, int burst) {
        return new HttpServerConfig(idleTimeout, headerReadTimeout, lingerTimeout, maxRequestLineLength,
                maxHeaderBytes, maxHeaderCount, maxConnections, maxConnectionsPerIp, contentSecurityPolicy, hsts,
                lastModified, clock, sink, perSecond, burst);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + value);
        }
    }
}
