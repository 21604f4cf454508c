package morgana.netstack.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blog's shape: an HTTP pipeline written for NIO ({@code ChannelInitializer<SocketChannel>}) runs unchanged. */
@Timeout(30)
class HttpOverStackTest {

    private final TwoStacks net = new TwoStacks();

    @AfterEach
    void shutDown() {
        net.close();
    }

    /** Answers every request with its URI; closes after the response unless the request keeps alive. */
    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("hello from morgana: " + request.uri(), UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (HttpUtil.isKeepAlive(request)) {
                ctx.writeAndFlush(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static final ChannelInitializer<SocketChannel> BLOG = new ChannelInitializer<>() {
        @Override
        protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Hello());
        }
    };

    @Test
    void requestGetsA200AndConnectionCloseEndsWithEof() throws Exception {
        ServerSegments wire = new ServerSegments(net.link.a());
        net.serve(80, BLOG);
        RawClient client = net.connect(80);

        client.write("GET /posts/unikernels.html HTTP/1.1\r\nHost: blog\r\nConnection: close\r\n\r\n"
                .getBytes(US_ASCII));
        String response = new String(client.readUntilEof(), UTF_8);

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(response).containsIgnoringCase("connection: close\r\n");
        assertThat(response).endsWith("\r\n\r\nhello from morgana: /posts/unikernels.html");
        assertThat(wire.fins()).isEqualTo(1);
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        net.serve(80, BLOG);
        RawClient client = net.connect(80);

        String first = "GET /a HTTP/1.1\r\nHost: blog\r\n\r\n";
        String second = "GET /b HTTP/1.1\r\nHost: blog\r\nConnection: close\r\n\r\n";
        client.write((first + second).getBytes(US_ASCII));
        String responses = new String(client.readUntilEof(), UTF_8);

        assertThat(responses.split("HTTP/1.1 200 OK", -1)).hasSize(3);
        assertThat(responses).contains("hello from morgana: /a").endsWith("hello from morgana: /b");
    }
}
