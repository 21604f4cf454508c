package morgana.netstack.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * Two stacks on one in-memory cable, each on its own {@link StackEventLoopGroup}: the server side runs Netty
 * channels, the client side is driven by hand through {@link RawClient}.
 */
final class TwoStacks implements AutoCloseable {

    static final Ipv4Address SERVER_IP = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address CLIENT_IP = Ipv4Address.parse("10.0.0.2");
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final LinkPair link = new LinkPair(1500);
    final NetworkStack serverStack = new NetworkStack(
            StackConfig.of(MacAddress.parse("02:00:00:00:00:01"), Ipv4Cidr.parse("10.0.0.1/24"), null));
    final NetworkStack clientStack = new NetworkStack(
            StackConfig.of(MacAddress.parse("02:00:00:00:00:02"), Ipv4Cidr.parse("10.0.0.2/24"), null));
    final CountingDevice serverDevice = new CountingDevice(link.a());
    final StackEventLoopGroup serverGroup;
    final StackEventLoopGroup clientGroup;

    TwoStacks() {
        this(StackIoHandler.DEFAULT_CLOSE_LINGER);
    }

    TwoStacks(Duration serverCloseLinger) {
        serverGroup = new StackEventLoopGroup(serverStack, serverDevice, InstantSource.system(), serverCloseLinger,
                new DefaultThreadFactory("test-server-stack", true));
        clientGroup = new StackEventLoopGroup(clientStack, link.b(), InstantSource.system(),
                StackIoHandler.DEFAULT_CLOSE_LINGER, new DefaultThreadFactory("test-client-stack", true));
    }

    /** Binds {@code port} on the server stack with {@code childHandler} for each accepted connection. */
    Channel serve(int port, ChannelHandler childHandler) throws InterruptedException {
        return serve(port, childHandler, false, true);
    }

    Channel serve(int port, ChannelHandler childHandler, boolean allowHalfClosure, boolean autoRead)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(serverGroup)
                .channel(StackServerChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, allowHalfClosure)
                .childOption(ChannelOption.AUTO_READ, autoRead)
                .childHandler(childHandler)
                .bind(port)
                .sync()
                .channel();
    }

    RawClient connect(int port) {
        return RawClient.connect(clientGroup.next(), clientStack, SERVER_IP, port, TIMEOUT);
    }

    @Override
    public void close() {
        var a = serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var b = clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly(5, TimeUnit.SECONDS);
        b.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
