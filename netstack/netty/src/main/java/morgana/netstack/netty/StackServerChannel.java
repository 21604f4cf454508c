package morgana.netstack.netty;

import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpListener;

/**
 * A listening TCP port of Morgana's stack, as a Netty server channel: binding it opens
 * {@link NetworkStack#listen(int)}, and each established connection becomes a {@link StackChannel} child.
 * Register it with a {@link StackEventLoopGroup} (the same group must serve its children, since the stack
 * has one thread): {@code new ServerBootstrap().group(group).channel(StackServerChannel.class)}.
 *
 * <p>Bind to the wildcard address ({@code bind(80)}) or to the stack's own address; the channel's local
 * address is the stack's address and the port.
 */
public final class StackServerChannel extends AbstractServerChannel implements ServerSocketChannel {

    private final StackServerChannelConfig config = new StackServerChannelConfig(this);
    private volatile boolean open = true;
    private volatile TcpListener listener;
    private volatile InetSocketAddress localAddress;
    private StackIoHandler loop;
    private IoRegistration registration;
    private boolean acceptRequested;

    public StackServerChannel() {
    }

    @Override
    public StackServerChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && listener != null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected SocketAddress localAddress0() {
        return localAddress;
    }

    @Override
    protected boolean isCompatible(EventLoop eventLoop) {
        return eventLoop instanceof IoEventLoop ioLoop && ioLoop.isCompatible(ServerUnsafe.class);
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new ServerUnsafe();
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((ServerUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                loop = registration.attachment();
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
    protected void doBind(SocketAddress requested) throws Exception {
        if (!(requested instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("a stack server channel binds an InetSocketAddress, not " + requested);
        }
        NetworkStack stack = loop.stack();
        InetAddress own = stack.config().address().address().toInetAddress();
        if (!address.getAddress().isAnyLocalAddress() && !address.getAddress().equals(own)) {
            throw new java.net.BindException("cannot bind " + address + ": this stack's only address is " + own
                    + "; bind the port alone (bind(" + address.getPort() + "))");
        }
        TcpListener opened = stack.listen(address.getPort());
        localAddress = new InetSocketAddress(own, opened.port());
        listener = opened;
    }

    @Override
    protected void doClose() {
        open = false;
        TcpListener l = listener;
        if (l != null) {
            l.close();
        }
    }

    @Override
    protected void doBeginRead() {
        if (!open) {
            return;
        }
        acceptRequested = true;
        if (loop != null) {
            loop.pollAgainAtOnce();
        }
    }

    void clearAcceptRequest() {
        EventLoop eventLoop = isRegistered() ? eventLoop() : null;
        if (eventLoop == null || eventLoop.inEventLoop()) {
            acceptRequested = false;
        } else {
            eventLoop.execute(() -> acceptRequested = false);
        }
    }

    /** The loop that drives this channel's stack, for its children. */
    StackIoHandler stackLoop() {
        return loop;
    }

    @SuppressWarnings("deprecation") // Handle is what Unsafe.recvBufAllocHandle() returns
    private void acceptWaiting() {
        TcpListener l = listener;
        if (!acceptRequested || l == null || !open) {
            return;
        }
        ChannelPipeline pipeline = pipeline();
        RecvByteBufAllocator.Handle allocHandle = unsafe().recvBufAllocHandle();
        allocHandle.reset(config);
        boolean accepted = false;
        do {
            TcpConnection connection = l.accept();
            if (connection == null) {
                break;
            }
            acceptRequested = false;
            accepted = true;
            allocHandle.incMessagesRead(1);
            pipeline.fireChannelRead(new StackChannel(this, connection));
        } while (allocHandle.continueReading());
        allocHandle.readComplete();
        if (accepted) {
            pipeline.fireChannelReadComplete();
        }
    }

    private final class ServerUnsafe extends AbstractUnsafe implements StackIoHandle {

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            safeSetFailure(promise, new UnsupportedOperationException("a server channel does not connect"));
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            acceptWaiting();
        }

        @Override
        public void close() {
            close(voidPromise());
        }
    }
}
