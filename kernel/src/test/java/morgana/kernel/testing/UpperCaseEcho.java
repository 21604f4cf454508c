package morgana.kernel.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;

/** A TCP application for kernel tests: writes back what arrives, upper-cased so an echo cannot be a loop. */
public final class UpperCaseEcho extends ChannelInitializer<Channel> {

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                ByteBuf out = ctx.alloc().buffer(in.readableBytes());
                while (in.isReadable()) {
                    out.writeByte(Character.toUpperCase((char) in.readByte()));
                }
                in.release();
                ctx.writeAndFlush(out);
            }
        });
    }
}
