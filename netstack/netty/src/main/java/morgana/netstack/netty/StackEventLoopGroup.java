package morgana.netstack.netty;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ThreadFactory;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.Device;

/**
 * The event loop group of Morgana's network stack: one thread that owns the {@link NetworkStack} and its
 * {@link Device}, polls the stack, runs the {@link StackServerChannel}s and {@link StackChannel}s registered
 * with it, and runs Netty's tasks. Use it as both the boss and the child group:
 *
 * <pre>{@code
 * var group = new StackEventLoopGroup(stack, device, clock);
 * new ServerBootstrap().group(group).channel(StackServerChannel.class).childHandler(initializer).bind(80);
 * }</pre>
 *
 * <p>The thread starts at construction, so the stack answers ARP and ping before anything is bound. From then
 * on the stack belongs to that thread: anything else that needs it runs as a task, e.g.
 * {@code group.next().submit(() -> stack.stats())}. {@link #shutdownGracefully()} closes the channels and
 * resets connections still closing; the device stays open (its owner closes it).
 */
public final class StackEventLoopGroup extends MultiThreadIoEventLoopGroup {

    public StackEventLoopGroup(NetworkStack stack, Device device, InstantSource clock) {
        this(stack, device, clock, StackIoHandler.DEFAULT_CLOSE_LINGER,
                new DefaultThreadFactory("morgana-netstack", false));
    }

    /**
     * @param closeLinger how long a closed channel's connection may take to finish its FIN exchange before
     *                    it is reset
     * @param threadFactory makes the one thread of the group
     */
    public StackEventLoopGroup(NetworkStack stack, Device device, InstantSource clock, Duration closeLinger,
                               ThreadFactory threadFactory) {
        super(1, threadFactory, StackIoHandler.newFactory(stack, device, clock, closeLinger));
        // Start the thread now: the stack must answer ARP and ICMP even while nothing is bound.
        next().execute(() -> { });
    }
}
