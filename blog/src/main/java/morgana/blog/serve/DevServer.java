package morgana.blog.serve;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.server.BlogServerInitializer;
import morgana.blog.server.HttpServerConfig;
import morgana.blog.site.BuildOptions;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.SiteException;

/**
 * A site served from its directory while its author writes: built once with the reload script, served on the
 * host's sockets by the very blog application images run, and rebuilt (incrementally) whenever a file of the
 * site changes. After a rebuild, new connections see the new bundle, open keep-alive connections are closed
 * (so a reloading browser cannot be answered from the old one) and every page listening on
 * {@value ReloadEvents#PATH} is told to reload. A build that fails is reported and the last good site stays.
 */
public final class DevServer implements AutoCloseable {

    private final SiteBuilder builder;
    private final PrintStream log;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup("dev-connections", GlobalEventExecutor.INSTANCE);
    private final ReloadEvents events = new ReloadEvents();
    private final Channel serverChannel;
    private final SiteWatcher watcher;
    private volatile BlogServerInitializer current;
    private volatile SiteBundle bundle;

    private DevServer(Path site, InetSocketAddress address, BuildOptions options, PrintStream log, boolean watch)
            throws SiteException, InterruptedException, java.io.IOException {
        this.builder = new SiteBuilder(site, options.withLiveReload(true));
        this.log = log;
        install(buildOrThrow());
        this.serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.add(channel);
                        channel.pipeline().addLast(current);
                        channel.pipeline().addBefore("site", "reload", events);
                    }
                })
                .bind(address).sync().channel();
        this.watcher = watch ? SiteWatcher.start(site, this::rebuild) : null;
    }

    /** Builds {@code site} and serves it on {@code address}; with {@code watch}, rebuilds on every change. */
    public static DevServer start(Path site, InetSocketAddress address, BuildOptions options, PrintStream log,
                                  boolean watch) throws SiteException, InterruptedException, java.io.IOException {
        return new DevServer(site, address, options, log, watch);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Pages listening for reload events now. */
    public int listenerCount() {
        return events.listenerCount();
    }

    public SiteBundle bundle() {
        return bundle;
    }

    /** Builds again now (the watcher calls this); returns whether the site changed hands. */
    public synchronized boolean rebuild() {
        long start = System.nanoTime();
        try {
            SiteBuilder.BuiltSite site = builder.build();
            if (!site.brokenLinks().isEmpty()) {
                site.brokenLinks().forEach(b -> log.println("morgana: " + b.toException().getMessage()));
            }
            boolean changed = !site.bundle().bundleHash().equals(bundle.bundleHash());
            if (changed) {
                install(site);
                connections.stream().filter(c -> !events.isListener(c)).forEach(Channel::close);
                events.reload();
            }
            log.printf("morgana: rebuilt in %d ms (%d posts read, %d pages rendered)%s%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), site.stats().postsRead(),
                    site.stats().pagesRendered(), changed ? "" : ", nothing changed");
            return changed;
        } catch (SiteException e) {
            log.println("morgana: " + e.getMessage() + " (still serving the last good build)");
            return false;
        } catch (RuntimeException e) {
            log.println("morgana: rebuild failed: " + e + " (still serving the last good build)");
            return false;
        }
    }

    private SiteBuilder.BuiltSite buildOrThrow() throws SiteException {
        SiteBuilder.BuiltSite site = builder.build();
        site.warnings().forEach(w -> log.println("morgana: " + w));
        if (!site.brokenLinks().isEmpty()) {
            throw site.brokenLinks().getFirst().toException();
        }
        return site;
    }

    private void install(SiteBuilder.BuiltSite site) {
        this.bundle = site.bundle();
        this.current = new BlogServerInitializer(site.bundle(), HttpServerConfig.defaults()
                .withLastModified(Instant.now()));
    }

    /** Waits until the server is closed (by {@link #close()} or an interrupt). */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().sync();
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        events.close();
        serverChannel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
