package morgana.kernel.loop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.Future;
import morgana.netstack.iface.StackStats;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.netty.StackEventLoopGroup;
import morgana.netstack.netty.StackServerChannel;
import morgana.netstack.phy.Device;
import morgana.netstack.tcp.TcpConfig;

/**
 * The kernel's event loop: one {@link NetworkStack} on one {@link Device}, driven by the netstack's Netty
 * event loop group, serving an application's {@link ChannelInitializer} on one TCP port. The application
 * is whatever pipeline it is given; this class knows nothing of HTTP.
 *
 * <p>The stack and the device belong to the loop's thread from {@link #start} on. Closing the runner
 * stops the loop; the device stays open, since its opener owns it.
 */
public final class StackRunner implements AutoCloseable {

    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ADDRESS_POLL = Duration.ofMillis(50);
    private static final Duration DRAIN_POLL = Duration.ofMillis(100);
    static final Duration QUIET = Duration.ofMillis(500);
    static final Duration MIN_LINGER = Duration.ofSeconds(2);

    private final NetworkStack stack;
    private final StackEventLoopGroup group;
    private final List<Channel> servers;
    private final ConnectionTracker connections;

    private StackRunner(NetworkStack stack, StackEventLoopGroup group, List<Channel> servers,
                        ConnectionTracker connections) {
        this.stack = stack;
        this.group = group;
        this.servers = List.copyOf(servers);
        this.connections = connections;
    }

    /**
     * Builds the stack for {@code config}, starts its loop on {@code device} (from then on it answers ARP
     * and ping) and listens on {@code port} with {@code application} as each connection's initializer.
     */
    public static StackRunner start(Device device, StackConfig config, int port, ChannelInitializer<Channel> application,
            InstantSource clock) throws InterruptedException {
        return start(device, config, List.of(port), application, clock);
    }

    /** As {@link #start(Device, StackConfig, int, ChannelInitializer, InstantSource)}, listening on every port of {@code ports}. */
    public static StackRunner start(Device device, StackConfig config, List<Integer> ports,
            ChannelInitializer<Channel> application, InstantSource clock) throws InterruptedException {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no port to listen on");
        }
        for (int port : ports) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("a TCP port is 1 to 65535, not " + port);
            }
        }
        NetworkStack stack = new NetworkStack(config, tcpConfig(new SecureRandom()));
        StackEventLoopGroup group = new StackEventLoopGroup(stack, device, clock);
        try {
            ConnectionTracker connections = new ConnectionTracker(application);
            List<Channel> servers = new ArrayList<>();
            for (int port : ports) {
                servers.add(bind(group, port, connections));
            }
            return new StackRunner(stack, group, servers, connections);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
            throw e;
        }
    }

    private static Channel bind(StackEventLoopGroup group, int port, ChannelInitializer<Channel> application)
            throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(StackServerChannel.class)
                .childHandler(application)
                .bind(port);
        if (!bound.await(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the stack did not bind port " + port + " within " + BIND_TIMEOUT);
        }
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen on port " + port + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        return bound.channel();
    }

    /**
     * TCP's settings for one boot: the defaults, with a fresh secret for the initial sequence numbers so that
     * an off-path attacker cannot predict them (RFC 6528 §3).
     */
    static TcpConfig tcpConfig(SecureRandom random) {
        return TcpConfig.defaults().withIsnSecret(random.nextLong());
    }

    /**
     * The stack. It belongs to the loop's thread: touch it only from a task on that thread, such as
     * {@code runner.loop().submit(() -> runner.stack().stats())}.
     */
    public NetworkStack stack() {
        return stack;
    }

    /** The event loop group that owns the stack; submit work on the stack here. */
    public StackEventLoopGroup loop() {
        return group;
    }

    /** The stack's address and the (first) port it serves. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) servers.getFirst().localAddress();
    }

    /** Every port served, in the order given to {@link #start}. */
    public List<Integer> ports() {
        return servers.stream().map(s -> ((InetSocketAddress) s.localAddress()).getPort()).toList();
    }

    /** Stops accepting new connections on every port; established ones carry on (the first step of a clean shutdown). */
    public void stopAccepting() {
        for (Channel server : servers) {
            server.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
        }
    }

    /**
     * Runs {@code task} on the loop's thread and waits for its result; empty if the loop does not get to it
     * within {@code timeout} (it is hung, or stopped). What a watchdog and a fatal report use.
     */
    public <T> Optional<T> onLoop(Callable<T> task, Duration timeout) {
        if (group.isShuttingDown()) {
            return Optional.empty();
        }
        Future<T> result = group.next().submit(task);
        try {
            if (!result.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || !result.isSuccess()) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.ofNullable(result.getNow());
    }

    /**
     * Waits until the stack has an address (DHCP's lease, or the static one at once); returns the
     * configuration in force then, or empty after {@code timeout}.
     */
    public Optional<StackConfig> awaitAddress(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StackConfig> config = onLoop(() -> stack.address().isPresent() ? stack.config() : null,
                    Duration.ofSeconds(5));
            if (config.isPresent()) {
                return config;
            }
            Thread.sleep(ADDRESS_POLL.toMillis());
        }
        return Optional.empty();
    }

    /** The stack's counters in one line, read on the loop; empty if the loop does not answer within {@code timeout}. */
    public Optional<String> counters(Duration timeout) {
        return onLoop(() -> {
            StackStats stats = stack.stats();
            return "frames in " + stats.framesReceived() + " out " + stats.framesSent() + ", tcp segments in "
                    + stats.tcpSegmentsReceived() + " out " + stats.tcpSegmentsSent() + ", retransmissions "
                    + stats.tcpRetransmissions() + ", drops " + stats.totalDrops() + ", connections open "
                    + connections.openCount();
        }, timeout);
    }

    /** What a {@link #drain} did: connections open when it began, closed once idle, and cut off at the deadline. */
    public record Drain(int openAtStart, int finished, int cutOff) {
    }

    /**
     * The network half of a clean shutdown: stops accepting, closes each connection once it is idle (its
     * answers handed to TCP, which sends them and then a FIN), closes whatever is still busy at the deadline,
     * and then lets TCP finish until the link has been quiet for a moment (bounded by the same deadline, at
     * least {@link #MIN_LINGER}). The loop keeps running; {@link #close} stops it.
     */
    public Drain drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopAccepting();
        int atStart = connections.openCount();
        int cutOff = 0;
        while (true) {
            int stillOpen = onLoop(connections::closeIdle, Duration.ofSeconds(5)).orElse(-1);
            if (stillOpen == 0) {
                break;
            }
            if (System.nanoTime() >= deadline || stillOpen < 0) {
                cutOff = onLoop(connections::closeAll, Duration.ofSeconds(5)).orElse(connections.openCount());
                break;
            }
            Thread.sleep(DRAIN_POLL.toMillis());
        }
        lingerUntilQuiet(Math.max(deadline, System.nanoTime() + MIN_LINGER.toNanos()));
        return new Drain(atStart, atStart - cutOff, cutOff);
    }

    /** Waits until no frame has gone either way for {@link #QUIET}: the FIN exchanges and the last data are done. */
    private void lingerUntilQuiet(long deadline) throws InterruptedException {
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long frames = onLoop(() -> stack.stats().framesSent() + stack.stats().framesReceived(), Duration.ofSeconds(2))
                    .orElse(-1L);
            if (frames != last) {
                last = frames;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
                return;
            }
            Thread.sleep(DRAIN_POLL.toMillis());
        }
    }

    /** Blocks until the loop has stopped: after {@link #close}, or if it died. */
    public void awaitTermination() throws InterruptedException {
        group.terminationFuture().await();
    }

    /** True once the loop has stopped. */
    public boolean isTerminated() {
        return group.isTerminated();
    }

    /** A future that completes when the loop has stopped, for whoever must notice that. */
    public io.netty.util.concurrent.Future<?> terminationFuture() {
        return group.terminationFuture();
    }

    /** Stops listening and stops the loop, waiting for it (bounded). */
    @Override
    public void close() {
        stopAccepting();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    }
}
