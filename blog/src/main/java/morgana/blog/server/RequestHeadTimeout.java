package morgana.blog.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris defence: once the first byte of a request arrives, its head (request line and headers) must
 * be complete within the header read timeout, or the connection is closed. Trickling a byte every few
 * seconds keeps a connection out of the idle timeout, but not out of this one. Two handlers share the
 * state: {@link #beforeDecoder()} sees bytes, {@link #afterDecoder()} sees whole request heads.
 */
final class RequestHeadTimeout {

    private final long timeoutNanos;
    private final HttpStats stats;
    private ScheduledFuture<?> deadline;

    RequestHeadTimeout(Duration timeout, HttpStats stats) {
        this.timeoutNanos = timeout.toNanos();
        this.stats = stats;
    }

    ChannelInboundHandlerAdapter beforeDecoder() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (deadline == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                disarm();
                super.channelInactive(ctx);
            }
        };
    }

    ChannelInboundHandlerAdapter afterDecoder() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    disarm();
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (ctx.channel().isOpen()) {
            stats.headerTimedOut();
            ctx.channel().close();
        }
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
