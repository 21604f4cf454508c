package morgana.kernel.loop;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections a runner has accepted, and which of them are busy, so that a shutdown can close the idle
 * ones at once and let the busy ones finish. Busy means the application owes an answer (bytes came in and
 * nothing went out since) or has bytes Netty has not yet handed to TCP; an idle connection, closed, still
 * delivers what TCP holds for it before its FIN. The rule knows no protocol: it fits any request/response one.
 *
 * <p>It wraps the application's initializer: each connection gets an {@link Activity} handler at the head of
 * its pipeline, then the application's handlers.
 */
final class ConnectionTracker extends ChannelInitializer<Channel> {

    private final ChannelInitializer<Channel> application;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    ConnectionTracker(ChannelInitializer<Channel> application) {
        this.application = application;
    }

    @Override
    protected void initChannel(Channel channel) {
        open.add(channel);
        channel.closeFuture().addListener(f -> open.remove(channel));
        channel.pipeline().addLast("morgana-activity", new Activity());
        channel.pipeline().addLast(application);
    }

    int openCount() {
        return open.size();
    }

    /** Closes the idle connections; returns how many stay open. Runs on the event loop. */
    int closeIdle() {
        for (Channel channel : List.copyOf(open)) {
            if (!isBusy(channel)) {
                channel.close();
            }
        }
        return (int) open.stream().filter(Channel::isOpen).count();
    }

    /** Closes every connection, busy or not; returns how many were open. Runs on the event loop. */
    int closeAll() {
        List<Channel> channels = List.copyOf(open);
        channels.forEach(Channel::close);
        return channels.size();
    }

    private static boolean isBusy(Channel channel) {
        Activity activity = channel.pipeline().get(Activity.class);
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        return (activity != null && activity.owesAnswer) || (unsent != null && unsent.totalPendingWriteBytes() > 0);
    }

    /** Watches one connection: whether the last thing that happened on it was a read (an answer is owed). */
    private static final class Activity extends ChannelDuplexHandler {
        private volatile boolean owesAnswer;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            owesAnswer = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            owesAnswer = false;
            ctx.write(msg, promise);
        }
    }
}
