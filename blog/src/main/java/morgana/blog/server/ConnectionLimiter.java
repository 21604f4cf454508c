package morgana.blog.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps concurrent connections, in all and per client address. A connection over a cap is closed the
 * moment it opens, before a byte is read: the client sees a FIN at once and the server spends nothing on it.
 * One instance is shared by every connection of a server.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Object> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");

    private final int maxConnections;
    private final int maxPerAddress;
    private final HttpStats stats;
    private final Map<Object, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionLimiter(int maxConnections, int maxPerAddress, HttpStats stats) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Object address = addressOf(ctx.channel().remoteAddress());
        if (admit(address)) {
            ctx.channel().attr(COUNTED).set(address);
            stats.accepted();
            super.channelActive(ctx);
        } else {
            stats.refused();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Object address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            release(address);
        }
        super.channelInactive(ctx);
    }

    synchronized int openConnections() {
        return total;
    }

    private synchronized boolean admit(Object address) {
        int mine = perAddress.getOrDefault(address, 0);
        if (total >= maxConnections || mine >= maxPerAddress) {
            return false;
        }
        total++;
        perAddress.put(address, mine + 1);
        return true;
    }

    private synchronized void release(Object address) {
        total--;
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** The client's IP address; channels without one (embedded, local) share one bucket. */
    private static Object addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return "unknown";
    }
}
