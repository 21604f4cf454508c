package morgana.netstack.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Netty on both stacks: a {@code Bootstrap} client channel against a {@code ServerBootstrap} server. */
@Timeout(30)
class StackClientChannelTest {

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void shutDown() {
        net.close();
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    private Bootstrap client(ChannelHandler handler) {
        return new Bootstrap().group(net.clientGroup).channel(StackChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000).handler(handler);
    }

    @Test
    void aNettyClientTalksToANettyServerAcrossTwoStacks() throws Exception {
        net.serve(7, new Echo());
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Channel channel = client(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("round trip", US_ASCII));
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                echoed.complete(in.toString(US_ASCII));
                in.release();
            }
        }).connect(new InetSocketAddress(TwoStacks.SERVER_IP.toInetAddress(), 7)).sync().channel();

        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("round trip");
        StackChannel stackChannel = (StackChannel) channel;
        assertThat(stackChannel.remoteAddress())
                .isEqualTo(new InetSocketAddress(TwoStacks.SERVER_IP.toInetAddress(), 7));
        assertThat(stackChannel.localAddress().getAddress()).isEqualTo(TwoStacks.CLIENT_IP.toInetAddress());
        assertThat(stackChannel.localAddress().getPort()).isPositive();
        channel.close().sync();
    }

    @Test
    void connectingToAPortNobodyListensOnIsRefused() throws Exception {
        ChannelFuture connect = client(new ChannelInboundHandlerAdapter())
                .connect(new InetSocketAddress(TwoStacks.SERVER_IP.toInetAddress(), 8080));

        assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(connect.cause()).isInstanceOf(ConnectException.class).hasMessageContaining("refused");
        assertThat(connect.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
    }
}
