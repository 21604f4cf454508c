package morgana.blog.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
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
 *   idle       IdleStateHandler: no read, and no write progress (a slow reader still counts), for {@code idleTimeout}
 *   idleClose  closes the connection on that event (a FIN, not a silent drop)
 *   http       HttpServerCodec (request bodies are discarded: the blog only serves GET and HEAD)
 *   site       {@link SiteRequestHandler}: the bundle, the health endpoint, 304/404/405, gzip, keep-alive
 * </pre>
 */
public final class BlogServerInitializer extends ChannelInitializer<Channel> {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final SiteBundle bundle;
    private final Duration idleTimeout;
    private final Clock clock;

    /** Serves {@code bundle}, closing connections idle for {@link #DEFAULT_IDLE_TIMEOUT}. */
    public BlogServerInitializer(SiteBundle bundle) {
        this(bundle, DEFAULT_IDLE_TIMEOUT, Clock.systemUTC());
    }

    public BlogServerInitializer(SiteBundle bundle, Duration idleTimeout) {
        this(bundle, idleTimeout, Clock.systemUTC());
    }

    /**
     * @param idleTimeout a connection with no traffic either way for this long is closed
     * @param clock       for the {@code Date} header only
     */
    public BlogServerInitializer(SiteBundle bundle, Duration idleTimeout, Clock clock) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
    }

    public SiteBundle bundle() {
        return bundle;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(true, 0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("idleClose", new IdleConnectionCloser())
                .addLast("http", new HttpServerCodec())
                .addLast("site", new SiteRequestHandler(bundle, clock));
    }
}
