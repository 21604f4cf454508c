package morgana.unikernel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.server.BlogServerInitializer;
import morgana.kernel.boot.TapHost;
import morgana.netstack.iface.StackConfig;

/**
 * The blog on a developer's host, in Mirage's two network modes: {@code socket} (the host kernel's TCP
 * through Netty NIO, for writing) and {@code direct} (Morgana's own stack on a TAP device). The HTTP
 * pipeline is the same in both.
 */
public final class HostServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private HostServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Serves {@code bundle} on the host's own TCP at {@code address}; returns once bound. */
    public static HostServer startOnSockets(SiteBundle bundle, InetSocketAddress address) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new BlogServerInitializer(bundle))
                    .bind(address).sync().channel();
            return new HostServer(group, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /** The address actually bound (the port is chosen by the system when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Blocks until the server channel closes. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
    }

    /**
     * Serves {@code bundle} through Morgana's own stack on the TAP device {@code tapName} until interrupted.
     * Needs root or CAP_NET_ADMIN; the host side of the TAP is configured with {@code ip}.
     */
    public static void runOnTap(SiteBundle bundle, String tapName, StackConfig config, int port) throws InterruptedException {
        TapHost.run(tapName, config, port, new BlogServerInitializer(bundle));
    }
}
