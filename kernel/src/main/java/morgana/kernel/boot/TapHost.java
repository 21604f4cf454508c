package morgana.kernel.boot;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.time.Clock;
import morgana.kernel.device.TapDevice;
import morgana.kernel.loop.StackRunner;
import morgana.netstack.iface.StackConfig;

/**
 * Morgana's stack on a developer's host ({@code morgana run --net direct}): a TAP interface is the wire,
 * our stack is the machine at the other end. The host side of the TAP (its address, bringing it up) is
 * configured with {@code ip}, by the user or {@link morgana.kernel.device.HostSide}; the stack's own MAC and
 * address come from the {@link StackConfig}.
 */
public final class TapHost implements AutoCloseable {

    private final TapDevice tap;
    private final StackRunner runner;

    private TapHost(TapDevice tap, StackRunner runner) {
        this.tap = tap;
        this.runner = runner;
    }

    /** Opens the TAP and starts serving; returns at once with a handle. Needs root or CAP_NET_ADMIN. */
    public static TapHost start(String tapName, StackConfig config, int port, ChannelInitializer<Channel> application)
            throws InterruptedException {
        TapDevice tap = TapDevice.open(tapName);
        try {
            return new TapHost(tap, StackRunner.start(tap, config, port, application, Clock.systemUTC()));
        } catch (InterruptedException | RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /**
     * Opens the TAP and serves until the thread is interrupted or the loop stops, then closes both. What
     * {@code morgana run --net direct} calls.
     */
    public static void run(String tapName, StackConfig config, int port, ChannelInitializer<Channel> application)
            throws InterruptedException {
        try (TapHost host = start(tapName, config, port, application)) {
            host.runner.awaitTermination();
        }
    }

    public String tapName() {
        return tap.name();
    }

    /** Keeps the TAP after this host closes (and after the process), or lets close remove it ({@link TapDevice#setPersistent}). */
    public void setPersistent(boolean persistent) {
        tap.setPersistent(persistent);
    }

    /** The stack's address and port. */
    public InetSocketAddress localAddress() {
        return runner.localAddress();
    }

    public StackRunner runner() {
        return runner;
    }

    /** Stops the loop, then closes the TAP (which removes it unless it was made persistent with {@code ip tuntap}). */
    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            tap.close();
        }
    }
}
