package morgana.netstack.netty;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.Device;
import morgana.netstack.tcp.Elapsed;
import morgana.netstack.tcp.TcpConnection;

/**
 * Drives one {@link NetworkStack} from the thread of one Netty {@code SingleThreadIoEventLoop}: the stack is
 * polled, every registered channel moves data between its pipeline and its connection, the stack is polled
 * again to send what the channels wrote, and when Netty has no task the thread sleeps in
 * {@link Device#awaitFrame} until a frame, the stack's next deadline, the next scheduled task, or a task
 * submitted from another thread ({@link #wakeup()} calls {@link Device#wakeup()}).
 *
 * <p>The stack is not thread-safe, so this handler is its only user: code that needs the stack (listen, stats)
 * runs as a task on the event loop. Obtain handlers through {@link #newFactory}, which makes exactly one.
 */
public final class StackIoHandler implements IoHandler {

    /** How long a closed channel's connection may take to finish its FIN exchange before it is reset. */
    public static final Duration DEFAULT_CLOSE_LINGER = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(StackIoHandler.class.getName());

    private final NetworkStack stack;
    private final Device device;
    private final InstantSource clock;
    /** The system clock's instant, kept for {@link #INSTANT_REUSE_NANOS} (see {@link #now()}). */
    private final boolean systemClock;
    private Instant recentInstant;
    private long recentAt;
    private final Duration closeLinger;
    private final ThreadAwareExecutor executor;
    private final Set<Registration> registrations = new LinkedHashSet<>();
    private final ClosingConnections closing = new ClosingConnections();
    private final ByteBuffer readScratch = ByteBuffer.allocate(64 * 1024);
    private Registration[] snapshot = new Registration[0];
    private boolean registrationsChanged;
    private boolean pollAgainAtOnce;

    private StackIoHandler(NetworkStack stack, Device device, InstantSource clock, Duration closeLinger,
                           ThreadAwareExecutor executor) {
        this.stack = stack;
        this.device = device;
        this.clock = clock;
        this.systemClock = clock == java.time.Clock.systemUTC() || clock == InstantSource.system();
        this.closeLinger = closeLinger;
        this.executor = executor;
    }

    /**
     * A factory for {@code new MultiThreadIoEventLoopGroup(1, factory)}. It makes one handler only, because a
     * stack must be polled from one thread; a second call fails.
     */
    public static IoHandlerFactory newFactory(NetworkStack stack, Device device, InstantSource clock) {
        return newFactory(stack, device, clock, DEFAULT_CLOSE_LINGER);
    }

    /** As {@link #newFactory(NetworkStack, Device, InstantSource)}, with the linger of closed connections. */
    public static IoHandlerFactory newFactory(NetworkStack stack, Device device, InstantSource clock,
                                              Duration closeLinger) {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(clock, "clock");
        if (closeLinger.isNegative()) {
            throw new IllegalArgumentException("closeLinger must not be negative: " + closeLinger);
        }
        AtomicBoolean made = new AtomicBoolean();
        return executor -> {
            if (!made.compareAndSet(false, true)) {
                throw new IllegalStateException(
                        "a NetworkStack is polled by exactly one thread: create its event loop group with 1 thread");
            }
            return new StackIoHandler(stack, device, clock, closeLinger, executor);
        };
    }

    @Override
    public int run(IoHandlerContext context) {
        int handled = pollAndDispatch();
        if (context.canBlock() && !pollAgainAtOnce) {
            long sleepNanos = sleepNanos(context);
            if (sleepNanos > 0) {
                try {
                    device.awaitFrame(sleepNanos);
                } catch (InterruptedException e) {
                    // Netty does not use interruption to stop a loop; keeping the flag set would make every
                    // later wait return at once, which is a busy spin.
                    LOG.log(System.Logger.Level.DEBUG, "event loop thread interrupted while waiting for a frame");
                }
            }
            handled += pollAndDispatch();
        }
        return handled;
    }

    private int pollAndDispatch() {
        pollAgainAtOnce = false;
        pollStack();
        if (registrationsChanged) {
            // A channel accepted below registers while we iterate: it gets its turn at the next dispatch.
            snapshot = registrations.toArray(Registration[]::new);
            registrationsChanged = false;
        }
        Registration[] handles = snapshot;
        for (Registration registration : handles) {
            if (registration.isValid()) {
                try {
                    registration.handle.handle(registration, StackIoHandle.StackPolled.INSTANCE);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "channel failed to handle a stack poll", e);
                }
            }
        }
        closing.service(now());
        pollStack();
        return handles.length;
    }

    /** How long an instant of the system clock serves as now: the loop asks several times a pass, under load a pass per frame. */
    static final long INSTANT_REUSE_NANOS = 20_000;

    /**
     * The clock's now. The system clock's instant is reused for up to {@link #INSTANT_REUSE_NANOS}, so that a
     * busy loop does not make several a frame; any other clock (a test's) is asked every time.
     */
    private Instant now() {
        if (!systemClock) {
            return clock.instant();
        }
        long at = System.nanoTime();
        if (recentInstant == null || at - recentAt >= INSTANT_REUSE_NANOS) {
            recentInstant = clock.instant();
            recentAt = at;
        }
        return recentInstant;
    }

    private void pollStack() {
        try {
            stack.poll(now(), device);
        } catch (RuntimeException e) {
            // The stack counts malformed input as drops; an exception is a bug, and must not end the loop.
            LOG.log(System.Logger.Level.ERROR, "network stack poll failed", e);
        }
    }

    private long sleepNanos(IoHandlerContext context) {
        long sleep = context.delayNanos(System.nanoTime());
        Instant now = now();
        try {
            sleep = Math.min(sleep, Math.min(stack.nanosUntilPoll(now), DAY_NANOS));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "network stack pollAt failed", e);
        }
        Optional<Instant> lingerDeadline = closing.nextDeadline();
        if (lingerDeadline.isPresent()) {
            sleep = Math.min(sleep, nanosUntil(now, lingerDeadline.get()));
        }
        return sleep;
    }

    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    /** From {@code now} to {@code deadline}, 0 if it has passed, a day at most; no Duration made on every wake-up. */
    private static long nanosUntil(Instant now, Instant deadline) {
        return Math.clamp(Elapsed.nanos(now, deadline), 0, DAY_NANOS);
    }

    @Override
    public void wakeup() {
        if (!executor.isExecutorThread(Thread.currentThread())) {
            device.wakeup();
        }
    }

    @Override
    public void prepareToDestroy() {
        for (Registration registration : registrations.toArray(Registration[]::new)) {
            try {
                registration.handle.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a channel at shutdown failed", e);
            }
        }
        // The loop is going away: nothing will finish these FIN exchanges, so tell the peers now.
        closing.abortAll();
        pollStack();
    }

    @Override
    public void destroy() {
        // The device and the stack belong to the kernel, which closes them.
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        if (!(handle instanceof StackIoHandle stackHandle)) {
            throw new IllegalArgumentException("not a Morgana stack channel: " + handle.getClass().getName());
        }
        Registration registration = new Registration(stackHandle);
        registrations.add(registration);
        registrationsChanged = true;
        stackHandle.registered();
        return registration;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return StackIoHandle.class.isAssignableFrom(handleType);
    }

    // ---- what channels registered here may ask of the loop (event loop thread only) ----

    NetworkStack stack() {
        return stack;
    }

    /** Makes the loop dispatch once more before it sleeps, e.g. because a channel was asked to read. */
    void pollAgainAtOnce() {
        pollAgainAtOnce = true;
    }

    /** Takes over a connection whose channel closed after {@link TcpConnection#shutdownOutput()}. */
    void adoptClosing(TcpConnection connection) {
        if (!ClosingConnections.isDone(connection)) {
            closing.adopt(connection, clock.instant().plus(closeLinger));
        }
    }

    /**
     * A buffer for channels to read into before they know whether anything is waiting, so that an idle
     * connection costs no allocation per poll. Valid until the reader returns to the loop.
     */
    ByteBuffer readScratch() {
        return readScratch.clear();
    }

    /** Connections whose channel has closed but whose FIN exchange is still under way. */
    int closingConnections() {
        return closing.size();
    }

    private final class Registration implements IoRegistration {
        private final StackIoHandle handle;
        private final AtomicBoolean valid = new AtomicBoolean(true);

        Registration(StackIoHandle handle) {
            this.handle = handle;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T attachment() {
            return (T) StackIoHandler.this;
        }

        @Override
        public long submit(IoOps ops) {
            throw new UnsupportedOperationException("stack channels are polled; they submit no I/O operations");
        }

        @Override
        public boolean isValid() {
            return valid.get();
        }

        @Override
        public boolean cancel() {
            if (!valid.compareAndSet(true, false)) {
                return false;
            }
            if (executor.isExecutorThread(Thread.currentThread())) {
                remove();
            } else {
                executor.execute(this::remove);
            }
            return true;
        }

        private void remove() {
            if (registrations.remove(this)) {
                registrationsChanged = true;
                handle.unregistered();
            }
        }
    }
}
