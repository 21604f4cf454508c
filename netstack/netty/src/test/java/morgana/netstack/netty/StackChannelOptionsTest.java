package morgana.netstack.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import morgana.netstack.tcp.TcpConfig;
import morgana.netstack.tcp.TcpConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket options set through Netty act on the stack's connection, as they would on a kernel socket. */
@Timeout(30)
class StackChannelOptionsTest {

    private static final int PORT = 7;

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void shutDown() {
        net.close();
    }

    /** Serves {@code PORT} with these child options and returns the first accepted channel. */
    private StackChannel acceptOne(ServerBootstrap bootstrap) throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        bootstrap.group(net.serverGroup).channel(StackServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }
                })
                .bind(PORT).sync();
        net.connect(PORT);
        return (StackChannel) accepted.get(10, TimeUnit.SECONDS);
    }

    /** Reads from the connection on its own loop, the only thread that may touch it. */
    private static <T> T onLoop(Channel channel, Callable<T> read) throws Exception {
        return channel.eventLoop().submit(read).get(5, TimeUnit.SECONDS);
    }

    @Test
    void childOptionsReachTheAcceptedConnection() throws Exception {
        StackChannel channel = acceptOne(new ServerBootstrap()
                .childOption(ChannelOption.TCP_NODELAY, false)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.SO_SNDBUF, 8192)
                .childOption(ChannelOption.SO_RCVBUF, 32 * 1024));
        TcpConnection c = channel.connection();

        assertThat(onLoop(channel, c::nagle)).as("TCP_NODELAY false is Nagle on").isTrue();
        assertThat(onLoop(channel, c::keepAlive)).isTrue();
        assertThat(onLoop(channel, c::sendBufferSize)).isEqualTo(8192);
        assertThat(onLoop(channel, c::receiveBufferSize)).isEqualTo(32 * 1024);
        assertThat(channel.config().getOption(ChannelOption.SO_SNDBUF)).isEqualTo(8192);
        assertThat(channel.config().isTcpNoDelay()).isFalse();
    }

    @Test
    void optionsNeverSetReadAsTheStackHasThem() throws Exception {
        StackChannel channel = acceptOne(new ServerBootstrap());
        TcpConfig defaults = TcpConfig.defaults();

        assertThat(channel.config().getReceiveBufferSize()).isEqualTo(defaults.receiveBuffer());
        assertThat(channel.config().getSendBufferSize()).isEqualTo(defaults.sendBuffer());
        assertThat(channel.config().isTcpNoDelay()).isEqualTo(!defaults.nagle());
        assertThat(channel.config().isKeepAlive()).isEqualTo(defaults.keepAlive().isPresent());
    }

    @Test
    void anOptionSetFromAnotherThreadIsAppliedOnTheLoop() throws Exception {
        StackChannel channel = acceptOne(new ServerBootstrap());
        TcpConnection c = channel.connection();

        channel.config().setSendBufferSize(4096);
        channel.config().setKeepAlive(true);

        assertThat(onLoop(channel, c::sendBufferSize)).isEqualTo(4096);
        assertThat(onLoop(channel, c::keepAlive)).isTrue();
    }

    @Test
    void aClientsReceiveBufferIsSetBeforeItsSyn() throws Exception {
        new ServerBootstrap().group(net.serverGroup).channel(StackServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(PORT).sync();
        Channel client = new Bootstrap().group(net.clientGroup).channel(StackChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress(TwoStacks.SERVER_IP.toInetAddress(), PORT)).sync().channel();

        TcpConnection c = ((StackChannel) client).connection();
        assertThat(onLoop(client, c::receiveBufferSize)).isEqualTo(4 << 20);
        client.close().sync();
    }

    @Test
    void aBufferSizeBelowOneIsRefused() throws Exception {
        StackChannel channel = acceptOne(new ServerBootstrap());

        assertThatThrownBy(() -> channel.config().setOption(ChannelOption.SO_RCVBUF, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SO_RCVBUF");
    }
}
