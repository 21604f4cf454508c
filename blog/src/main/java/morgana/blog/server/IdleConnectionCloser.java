package morgana.blog.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a connection when {@code IdleStateHandler} reports it idle. Closing sends a FIN, so a client that
 * kept a connection open and went away does not hold it forever (the "Minnesota goodbye": a server that
 * never says goodbye leaks connections).
 */
final class IdleConnectionCloser extends ChannelDuplexHandler {

    private final HttpStats stats;

    IdleConnectionCloser(HttpStats stats) {
        this.stats = stats;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (ctx.channel().isOpen()) {
                stats.idleClosed();
            }
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }
}
