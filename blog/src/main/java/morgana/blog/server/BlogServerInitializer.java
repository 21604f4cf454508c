package morgana.blog.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import morgana.blog.bundle.SiteBundle;

/**
 * The blog as a Netty application: HTTP/1.1 over whatever {@link Channel} carries it, the host's TCP (NIO,
 * epoll) or Morgana's own userspace stack. Pipeline, per connection:
 * <pre>
 *   limits     {@link ConnectionLimiter}: over the connection caps, close at once (shared by all connections)
 *   idle       IdleStateHandler: no read, and no write progress (a slow reader still counts), for the idle timeout
 *   idleClose  closes the connection on that event (a FIN, not a silent drop)
 *   headStart  {@link RequestHeadTimeout}: a request head must be complete in time once it has started...
 *   decoder    {@link StrictRequestDecoder}: request line and header size limits, no ambiguous framing
 *   encoder    HttpResponseEncoder
 *   headDone   ...and this is where it is seen complete
 *   site       {@link SiteRequestHandler}: validation, the bundle, the health endpoint, caching, ranges, closing
 * </pre>
 * Every connection of one initializer shares its {@link #stats()}, connection counts and access log.
 */
public final class BlogServerInitializer extends ChannelInitializer<Channel> {

    public static final Duration DEFAULT_IDLE_TIMEOUT = HttpServerConfig.DEFAULT_IDLE_TIMEOUT;

    private final SiteBundle bundle;
    private final HttpServerConfig config;
    private final HttpStats stats = new HttpStats();
    private final ConnectionLimiter limiter;
    private final AccessLog accessLog;

    /** Serves {@code bundle} with {@link HttpServerConfig#defaults()}. */
    public BlogServerInitializer(SiteBundle bundle) {
        this(bundle, HttpServerConfig.defaults());
    }

    public BlogServerInitializer(SiteBundle bundle, Duration idleTimeout) {
        this(bundle, HttpServerConfig.defaults().withIdleTimeout(idleTimeout));
    }

    /**
     * @param idleTimeout a connection with no traffic either way for this long is closed
     * @param clock       for the {@code Date} header, {@code Last-Modified} (its instant now) and the access log
     */
    public BlogServerInitializer(SiteBundle bundle, Duration idleTimeout, Clock clock) {
        this(bundle, HttpServerConfig.defaults().withIdleTimeout(idleTimeout).withClock(clock));
    }

    public BlogServerInitializer(SiteBundle bundle, HttpServerConfig config) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.config = Objects.requireNonNull(config, "config");
        this.limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp(), stats);
        this.accessLog = new AccessLog(config, stats);
    }

    public SiteBundle bundle() {
        return bundle;
    }

    public HttpServerConfig config() {
        return config;
    }

    /** Responses per status and connections by fate, across every connection this initializer set up. */
    public HttpStats stats() {
        return stats;
    }

    /** Connections open now, as the connection limits count them. */
    public int openConnections() {
        return limiter.openConnections();
    }

    @Override
    protected void initChannel(Channel channel) {
        var headTimeout = new RequestHeadTimeout(config.headerReadTimeout(), stats);
        channel.pipeline()
                .addLast("limits", limiter)
                .addLast("idle", new IdleStateHandler(true, 0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("idleClose", new IdleConnectionCloser(stats))
                .addLast("headStart", headTimeout.beforeDecoder())
                .addLast("decoder", new StrictRequestDecoder(config))
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("headDone", headTimeout.afterDecoder())
                .addLast("site", new SiteRequestHandler(bundle, config, stats, accessLog));
    }
}
