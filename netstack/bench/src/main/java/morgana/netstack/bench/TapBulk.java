package morgana.netstack.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import morgana.kernel.boot.TapHost;
import morgana.kernel.device.HostSide;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * The {@code bulk} benchmark of {@code scripts/bench-net}: bytes through Morgana's TCP over a TAP, each way,
 * timed by a client on the host kernel's sockets.
 * <pre>
 *   TapBulk serve TAP STACK-CIDR HOST-CIDR PORT      Morgana's stack on the TAP (created), a Netty server:
 *                                                    'U' then bytes until FIN: answers the count (8 bytes);
 *                                                    'D' and a count (8 bytes): sends that many, then FIN
 *   TapBulk upload|download HOST PORT BYTES          the kernel-side client; prints "bytes seconds gbit/s"
 * </pre>
 * The server reuses one buffer for everything it sends and follows the channel's writability, so it measures
 * the stack and the transport, not an allocator.
 */
public final class TapBulk {

    private static final int CHUNK = 256 * 1024;
    /** Bytes a transfer moves before its allocation is counted (scripts/bench-net's --quick runs move less). */
    private static final long STEADY_AFTER = Long.getLong("morgana.bench.steadyAfter", 64L << 20);

    private TapBulk() {}

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "serve" -> serve(args[1], Ipv4Cidr.parse(args[2]), Ipv4Cidr.parse(args[3]), Integer.parseInt(args[4]));
            case "upload", "download" -> client(args[0].equals("upload"), args[1], Integer.parseInt(args[2]),
                    Long.parseLong(args[3]));
            default -> {
                System.err.println("usage: TapBulk serve TAP STACK-CIDR HOST-CIDR PORT | upload|download HOST PORT BYTES");
                System.exit(2);
            }
        }
    }

    private static void serve(String tap, Ipv4Cidr stack, Ipv4Cidr host, int port) throws Exception {
        StackConfig config = new StackConfig(MacAddress.parse("02:00:00:b0:00:02"), stack, Optional.empty(), 1500);
        AtomicReference<NetworkStack> running = new AtomicReference<>();
        try (TapHost server = TapHost.start(tap, config, port, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true);
                ch.pipeline().addLast(new BulkHandler(running.get()));
            }
        })) {
            running.set(server.runner().stack());
            HostSide.configure(server.tapName(), host);
            System.out.println("serving " + stack.address() + ":" + port + " on " + server.tapName());
            server.runner().awaitTermination();
        }
    }

    /** One connection's side of the protocol above. */
    private static final class BulkHandler extends ChannelInboundHandlerAdapter {
        private static final ByteBuf PAYLOAD = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(CHUNK).writeZero(CHUNK)).asReadOnly();

        private final ByteBuf header = Unpooled.buffer(9);
        private final NetworkStack stack;
        /**
         * What the whole JVM had allocated, and the frames the stack had moved, once the transfer was past its
         * first {@link #STEADY_AFTER} bytes: the connection's buffers have grown to their size by then.
         */
        private long allocatedAtStart;
        private long framesAtStart;
        private boolean steady;
        private long sent;
        private char mode;

        BulkHandler(NetworkStack stack) {
            this.stack = stack;
        }

        private void noteProgress(long moved) {
            if (!steady && moved >= STEADY_AFTER) {
                steady = true;
                allocatedAtStart = allocatedBytes();
                framesAtStart = frames();
            }
        }

        private long frames() {
            return stack.stats().framesReceived() + stack.stats().framesSent();
        }

        /**
         * What the event loop's thread, this handler's, has allocated so far: the stack, the transport and this
         * handler's writes (a slice per 256 KiB).
         */
        private static long allocatedBytes() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
        }
        private long counted;
        private long toSend;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (mode == 0) {
                    header.writeBytes(in, Math.min(in.readableBytes(), 1));
                    mode = (char) header.getByte(0);
                }
                if (mode == 'U') {
                    counted += in.readableBytes();
                    noteProgress(counted);
                } else if (mode == 'D' && header.readableBytes() < 9) {
                    header.writeBytes(in, Math.min(in.readableBytes(), 9 - header.readableBytes()));
                    if (header.readableBytes() == 9) {
                        toSend = header.getLong(1);
                        send(ctx);
                    }
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            send(ctx);
        }

        private void send(ChannelHandlerContext ctx) {
            while (toSend > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, toSend);
                toSend -= n;
                sent += n;
                noteProgress(sent);
                ctx.write(PAYLOAD.retainedSlice(0, n), ctx.voidPromise());
            }
            ctx.flush();
            if (toSend == 0 && mode == 'D') {
                mode = 'X';
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** The upload ends with the client's FIN: answer how many bytes came, then close. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ByteBuf count = mode == 'U' ? Unpooled.copyLong(counted) : Unpooled.EMPTY_BUFFER;
                ctx.writeAndFlush(count).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** One line per transfer past {@link #STEADY_AFTER} bytes, which scripts/bench-net reads for its allocation figure. */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            header.release();
            if (!steady) {
                return;
            }
            long frames = frames() - framesAtStart;
            long allocated = allocatedBytes() - allocatedAtStart;
            System.out.printf("transfer %c frames=%d allocated=%d perFrame=%.1f%n", mode == 'X' ? 'D' : mode, frames,
                    allocated, frames == 0 ? 0.0 : (double) allocated / frames);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void client(boolean upload, String host, int port, long bytes) throws IOException {
        try (SocketChannel socket = SocketChannel.open(new InetSocketAddress(host, port))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            long start = System.nanoTime();
            long moved = 0;
            if (upload) {
                socket.write(ByteBuffer.wrap(new byte[] {'U'}));
                while (moved < bytes) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), bytes - moved));
                    while (buffer.hasRemaining()) {
                        moved += socket.write(buffer);
                    }
                }
                socket.shutdownOutput();
                ByteBuffer count = ByteBuffer.allocate(8);
                while (count.hasRemaining() && socket.read(count) >= 0) {
                    // the server answers once it has counted everything up to our FIN
                }
                if (count.position() < 8 || count.getLong(0) != bytes) {
                    throw new IOException("the server counted " + (count.position() < 8 ? "nothing" : count.getLong(0))
                            + " of " + bytes + " bytes");
                }
            } else {
                socket.write(ByteBuffer.allocate(9).put((byte) 'D').putLong(bytes).flip());
                for (int n; (n = socket.read(buffer.clear())) >= 0; ) {
                    moved += n;
                }
                if (moved != bytes) {
                    throw new IOException("received " + moved + " bytes of " + bytes);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d %.3f %.2f%n", moved, seconds, moved * 8 / seconds / 1e9);
        }
    }
}
