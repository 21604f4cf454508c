package morgana.e2e.hostile;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The seed's target, mirage-tcpip's echo service (RFC 862 over TCP): every byte read is written back. A
 * connection quiet both ways for the idle timeout is closed, so abandoned fuzz conversations do not pile up.
 */
final class TcpEcho extends ChannelInitializer<Channel> {

    private final Duration idleTimeout;

    TcpEcho(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .addLast("echo", Echo.INSTANCE);
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {

        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.write(message); // the buffer is released once written
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
