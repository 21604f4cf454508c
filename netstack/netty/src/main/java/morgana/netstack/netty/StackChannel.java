package morgana.netstack.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.Ipv4Address;

/**
 * One TCP connection of Morgana's stack, as a Netty {@link SocketChannel}. It behaves like an NIO socket
 * channel: reads honor auto-read and the channel's {@link RecvByteBufAllocator}; writes take
 * {@link ByteBuf}s and {@link FileRegion}s, copy into the connection's send buffer as far as its window
 * allows and keep the rest queued (writability follows the water marks); a peer's FIN closes the channel, or
 * fires {@link ChannelInputShutdownEvent} when {@code ALLOW_HALF_CLOSURE} is set; a reset makes it inactive.
 *
 * <p>A channel is accepted by a {@link StackServerChannel}, or made by a {@code Bootstrap} with
 * {@code channel(StackChannel.class)} on a {@link StackEventLoopGroup} and connected to a resolved IPv4
 * address (the stack picks the local port; binding one is not supported).
 *
 * <p>{@link #close()} queues a FIN after the bytes the connection already took, and the channel is inactive
 * at once, as with NIO. What was still queued in the channel fails, as with NIO: close from the write's
 * listener ({@code writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE)}) to send everything. The
 * loop then finishes the FIN exchange on its own, discarding what the peer still sends, and resets the
 * connection if that takes longer than the group's close linger. With {@code SO_LINGER} 0, close resets.
 */
public final class StackChannel extends AbstractChannel implements SocketChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final StackChannelConfig config = new StackChannelConfig(this);
    private final SendBufferWriter sendBufferWriter = new SendBufferWriter();
    private final StackServerChannel parent;
    private volatile TcpConnection connection;
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile boolean open = true;
    private volatile boolean connected;
    private StackIoHandler loop;
    private ChannelPromise connectPromise;
    private ScheduledFuture<?> connectTimeout;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private boolean endOfInputSeen;
    private boolean readRequested;
    private IoRegistration registration;

    /**
     * A client channel, for {@code new Bootstrap().group(stackGroup).channel(StackChannel.class)}: connecting
     * it opens {@link morgana.netstack.iface.NetworkStack#connect} on the group's stack.
     */
    public StackChannel() {
        super(null);
        this.parent = null;
    }

    /** A connection accepted by {@code parent}; only the parent's event loop may drive it. */
    StackChannel(StackServerChannel parent, TcpConnection connection) {
        super(parent);
        this.parent = parent;
        this.connection = connection;
        this.loop = parent.stackLoop();
        this.local = connection.localAddress();
        this.remote = connection.remoteAddress();
        this.connected = true;
    }

    @Override
    public ServerSocketChannel parent() {
        return parent;
    }

    @Override
    public StackChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && connected;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    /** Only the loop that owns the connection's stack can run this channel. */
    @Override
    protected boolean isCompatible(EventLoop eventLoop) {
        if (parent != null) {
            return eventLoop instanceof IoEventLoop && eventLoop == parent.eventLoop();
        }
        return eventLoop instanceof IoEventLoop ioLoop && ioLoop.isCompatible(StackUnsafe.class);
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StackUnsafe();
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((StackUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                if (loop == null) {
                    loop = registration.attachment();
                }
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() {
        IoRegistration r = registration;
        if (r != null) {
            registration = null;
            r.cancel();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException(
                "a stack channel's local address is chosen by the stack; connect without binding");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        ChannelPromise pendingConnect = connectPromise;
        if (pendingConnect != null) {
            connectPromise = null;
            pendingConnect.tryFailure(new ClosedChannelException());
        }
        cancelConnectTimeout();
        if (connection == null) {
            return;
        }
        EventLoop stackLoop = parent != null ? parent.eventLoop() : eventLoop();
        if (stackLoop.inEventLoop()) {
            releaseConnection();
        } else {
            // Only when the channel never got registered (e.g. a child group of another transport).
            stackLoop.execute(this::releaseConnection);
        }
    }

    private void releaseConnection() {
        TcpState state = connection.state();
        if (state == TcpState.CLOSED) {
            return;
        }
        if (config.getSoLinger() == 0 || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            connection.abort();
            return;
        }
        if (!outputShutdown) {
            connection.shutdownOutput();
        }
        loop.adoptClosing(connection);
    }

    @Override
    protected void doShutdownOutput() {
        outputShutdown = true;
        connection.shutdownOutput();
    }

    @Override
    protected void doBeginRead() {
        if (inputShutdown) {
            return;
        }
        readRequested = true;
        loop.pollAgainAtOnce();
    }

    void clearReadRequest() {
        EventLoop eventLoop = isRegistered() ? eventLoop() : null;
        if (eventLoop == null || eventLoop.inEventLoop()) {
            readRequested = false;
        } else {
            eventLoop.execute(() -> readRequested = false);
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf || msg instanceof FileRegion) {
            return msg;
        }
        throw new UnsupportedOperationException(
                "a stack channel writes ByteBuf and FileRegion, not " + msg.getClass().getName());
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (connection.isClosed()) {
            throw new ClosedChannelException();
        }
        sendBufferWriter.writeQueued(in, connection);
    }

    // ---- DuplexChannel ----

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public boolean isShutdown() {
        return (inputShutdown && outputShutdown) || !isActive();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    /** Sends FIN after the bytes the connection already took; writes still queued in the channel fail. */
    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        onLoop(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
        return promise;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    /** Stops reading: what the peer still sends is discarded. */
    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        onLoop(() -> {
            inputShutdown = true;
            readRequested = false;
            promise.setSuccess();
        });
        return promise;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelPromise outputDone = newPromise();
        shutdownOutput(outputDone);
        outputDone.addListener(f -> {
            inputShutdown = true;
            readRequested = false;
            if (f.isSuccess()) {
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    private void onLoop(Runnable task) {
        EventLoop eventLoop = eventLoop();
        if (eventLoop.inEventLoop()) {
            task.run();
        } else {
            eventLoop.execute(task);
        }
    }

    /** The stack's connection: set on acceptance, or once connecting; null before. */
    TcpConnection connection() {
        return connection;
    }

    /** Sets the socket options on the connection, on the stack's loop; before connecting there is nothing to do yet. */
    void socketOptionsChanged() {
        TcpConnection c = connection;
        if (c == null) {
            return; // startConnect applies them
        }
        EventLoop stackLoop = parent != null ? parent.eventLoop() : isRegistered() ? eventLoop() : null;
        if (stackLoop == null || stackLoop.inEventLoop()) {
            config.applyTo(c);
        } else {
            stackLoop.execute(() -> config.applyTo(c));
        }
    }

    // ---- driven by the loop after each poll of the stack ----

    private void afterPoll() {
        if (!open || connection == null) {
            return;
        }
        if (connectPromise != null && !finishConnect()) {
            return;
        }
        if (inputShutdown && !endOfInputSeen) {
            discardInput();
        } else if (readRequested) {
            readAvailable();
        }
        if (!open) {
            return;
        }
        ChannelOutboundBuffer pending = unsafe().outboundBuffer();
        if (pending != null && !pending.isEmpty() && connection.writableBytes() > 0) {
            ((StackUnsafe) unsafe()).flushPending();
        }
        TcpState state = connection.state();
        if (state == TcpState.CLOSED || (state == TcpState.TIME_WAIT && endOfInputSeen)) {
            // Reset, or both FINs through: nothing more can happen on this connection.
            unsafe().close(unsafe().voidPromise());
        }
    }

    @SuppressWarnings("deprecation") // Handle is what Unsafe.recvBufAllocHandle() returns
    private void readAvailable() {
        ChannelPipeline pipeline = pipeline();
        ByteBufAllocator allocator = config.getAllocator();
        RecvByteBufAllocator.Handle allocHandle = unsafe().recvBufAllocHandle();
        allocHandle.reset(config);
        boolean readSome = false;
        boolean endOfInput = false;
        do {
            // Read into the loop's scratch first: most polls find nothing, and that should allocate nothing.
            ByteBuffer scratch = loop.readScratch();
            scratch.limit(Math.min(scratch.capacity(), allocHandle.guess()));
            allocHandle.attemptedBytesRead(scratch.remaining());
            int n = connection.read(scratch);
            if (n <= 0) {
                allocHandle.lastBytesRead(n);
                endOfInput = n < 0;
                break;
            }
            ByteBuf buf = allocHandle.allocate(allocator);
            // From the array: a ByteBuffer source makes most kinds of ByteBuf take a view of themselves per write.
            buf.writeBytes(scratch.array(), scratch.arrayOffset(), n);
            allocHandle.lastBytesRead(n);
            allocHandle.incMessagesRead(1);
            readRequested = false;
            readSome = true;
            pipeline.fireChannelRead(buf);
        } while (allocHandle.continueReading() && open);
        allocHandle.readComplete();
        if (readSome) {
            pipeline.fireChannelReadComplete();
        }
        if (endOfInput && open) {
            onEndOfInput(pipeline);
        }
    }

    /** The peer's FIN, after every byte before it was read (RFC 9293 §3.6). */
    private void onEndOfInput(ChannelPipeline pipeline) {
        endOfInputSeen = true;
        readRequested = false;
        if (config.isAllowHalfClosure()) {
            inputShutdown = true;
            pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            // Nothing can follow a FIN, so the last read is done too.
            pipeline.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        } else {
            unsafe().close(unsafe().voidPromise());
        }
    }

    private void discardInput() {
        int n;
        do {
            n = connection.read(loop.readScratch());
        } while (n > 0);
        if (n < 0) {
            endOfInputSeen = true;
        }
    }

    // ---- the client side: an active open ----

    private void startConnect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        if (connection != null) {
            promise.setFailure(connectPromise != null ? new ConnectionPendingException()
                    : new AlreadyConnectedException());
            return;
        }
        if (localAddress != null) {
            promise.setFailure(new UnsupportedOperationException(
                    "a stack channel's local address is chosen by the stack; connect without one"));
            return;
        }
        if (!(remoteAddress instanceof InetSocketAddress target) || target.isUnresolved()
                || !(target.getAddress() instanceof Inet4Address address)) {
            promise.setFailure(new IllegalArgumentException(
                    "a stack channel connects to a resolved IPv4 InetSocketAddress, not " + remoteAddress));
            return;
        }
        TcpConnection opened;
        try {
            opened = loop.stack().connect(Ipv4Address.of(address.getAddress()), target.getPort());
        } catch (RuntimeException e) {
            promise.setFailure(e);
            return;
        }
        config.applyTo(opened); // before the SYN leaves: the receive buffer picks the window scale
        connection = opened;
        remote = target;
        connectPromise = promise;
        int timeoutMillis = config.getConnectTimeoutMillis();
        if (timeoutMillis > 0) {
            connectTimeout = eventLoop().schedule(() -> {
                ChannelPromise pending = connectPromise;
                if (pending != null && pending.tryFailure(
                        new ConnectTimeoutException("connection timed out after " + timeoutMillis + " ms: " + target))) {
                    unsafe().close(unsafe().voidPromise());
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        loop.pollAgainAtOnce();
    }

    /** Completes the connect promise once the handshake is through; false while it is still under way. */
    private boolean finishConnect() {
        ChannelPromise promise = connectPromise;
        switch (connection.state()) {
            case ESTABLISHED, CLOSE_WAIT -> {
                connectPromise = null;
                cancelConnectTimeout();
                local = connection.localAddress();
                remote = connection.remoteAddress();
                connected = true;
                if (promise.trySuccess()) {
                    pipeline().fireChannelActive();
                } else {
                    unsafe().close(unsafe().voidPromise());
                }
                return open;
            }
            case CLOSED -> {
                connectPromise = null;
                cancelConnectTimeout();
                promise.tryFailure(new ConnectException("connection refused: " + remote));
                unsafe().close(unsafe().voidPromise());
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private void cancelConnectTimeout() {
        ScheduledFuture<?> timeout = connectTimeout;
        if (timeout != null) {
            connectTimeout = null;
            timeout.cancel(false);
        }
    }

    private final class StackUnsafe extends AbstractUnsafe implements StackIoHandle {

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (promise.setUncancellable() && ensureOpen(promise)) {
                startConnect(remoteAddress, localAddress, promise);
            }
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            afterPoll();
        }

        void flushPending() {
            super.flush0();
        }

        @Override
        public void close() {
            close(voidPromise());
        }
    }
}
