package morgana.blog.serve;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;

/**
 * The server-sent events stream ({@value #PATH}, WHATWG HTML §9.2) that pages built for serve mode listen to:
 * an event {@code reload} after every successful rebuild, a comment line now and then so that idle timeouts do
 * not close it. Requests for other paths pass on to the blog application untouched.
 */
@ChannelHandler.Sharable
final class ReloadEvents extends ChannelInboundHandlerAdapter {

    static final String PATH = "/_morgana/events";

    private final ChannelGroup listeners = new DefaultChannelGroup("reload-listeners", GlobalEventExecutor.INSTANCE);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.uri().equals(PATH)) {
            ReferenceCountUtil.release(msg);
            var response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set(HttpHeaderNames.TRANSFER_ENCODING, "identity");
            ctx.writeAndFlush(response);
            ctx.writeAndFlush(Unpooled.copiedBuffer("retry: 500\n\n", StandardCharsets.UTF_8));
            listeners.add(ctx.channel());
            ctx.pipeline().remove("idle"); // an event stream is quiet by design
            return;
        }
        if (msg instanceof HttpContent && listeners.contains(ctx.channel())) {
            ReferenceCountUtil.release(msg); // the (empty) end of the events request
            return;
        }
        ctx.fireChannelRead(msg);
    }

    boolean isListener(Channel channel) {
        return listeners.contains(channel);
    }

    int listenerCount() {
        return listeners.size();
    }

    /** Tells every open page to reload. */
    void reload() {
        listeners.writeAndFlush(Unpooled.copiedBuffer("event: reload\ndata: rebuilt\n\n", StandardCharsets.UTF_8));
    }

    void close() {
        listeners.close().awaitUninterruptibly();
    }

}
