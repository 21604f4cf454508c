package morgana.netstack.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.netstack.tcp.TcpState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Netty server on Morgana's stack, against a client on a second stack across an in-memory cable. */
@Timeout(30)
class StackChannelTest {

    private static final int PORT = 7;

    private TwoStacks net = new TwoStacks();

    @AfterEach
    void shutDown() {
        net.close();
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Runs {@code onActive} when a connection is accepted. */
    private static ChannelHandler onActive(java.util.function.Consumer<ChannelHandlerContext> onActive) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                onActive.accept(ctx);
            }
        };
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, US_ASCII);
    }

    @Test
    void echoesWhatTheClientSends() throws Exception {
        Channel server = net.serve(PORT, new Echo());
        assertThat(server.localAddress().toString()).contains("10.0.0.1").contains(":" + PORT);

        RawClient client = net.connect(PORT);
        client.write("hello, morgana".getBytes(US_ASCII));
        assertThat(new String(client.readExactly(14), US_ASCII)).isEqualTo("hello, morgana");
        client.write("again".getBytes(US_ASCII));
        assertThat(new String(client.readExactly(5), US_ASCII)).isEqualTo("again");
    }

    @Test
    void acceptedChannelKnowsBothAddresses() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        net.serve(PORT, onActive(ctx -> accepted.complete(ctx.channel())));
        net.connect(PORT);

        StackChannel channel = (StackChannel) accepted.get(10, TimeUnit.SECONDS);
        assertThat(channel.localAddress().getAddress()).isEqualTo(TwoStacks.SERVER_IP.toInetAddress());
        assertThat(channel.localAddress().getPort()).isEqualTo(PORT);
        assertThat(channel.remoteAddress().getAddress()).isEqualTo(TwoStacks.CLIENT_IP.toInetAddress());
        assertThat(channel.isActive()).isTrue();
        assertThat(channel.parent()).isInstanceOf(StackServerChannel.class);
    }

    @Test
    void closeSendsFinAfterTheDataAndThePeerSeesEof() throws Exception {
        ServerSegments wire = new ServerSegments(net.link.a());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        net.serve(PORT, onActive(ctx -> {
            accepted.complete(ctx.channel());
            ctx.writeAndFlush(ascii("goodbye")).addListener(ChannelFutureListener.CLOSE);
        }));

        RawClient client = net.connect(PORT);
        assertThat(new String(client.readUntilEof(), US_ASCII)).isEqualTo("goodbye");
        assertThat(wire.fins()).isEqualTo(1);
        assertThat(wire.resets()).isZero();
        assertThat(accepted.get(10, TimeUnit.SECONDS).closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(client.state()).isEqualTo(TcpState.CLOSE_WAIT);
    }

    @Test
    void peerFinClosesTheChannelWhenHalfClosureIsOff() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        net.serve(PORT, onActive(ctx -> accepted.complete(ctx.channel())));

        RawClient client = net.connect(PORT);
        Channel channel = accepted.get(10, TimeUnit.SECONDS);
        client.shutdownOutput();

        assertThat(channel.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(channel.isActive()).isFalse();
        assertThat(client.readUntilEof()).isEmpty();
    }

    @Test
    void halfClosureLetsTheServerAnswerAfterThePeersFin() throws Exception {
        CompletableFuture<Boolean> inputShutdownSeen = new CompletableFuture<>();
        net.serve(PORT, new ChannelInboundHandlerAdapter() {
            private final ByteBuf request = Unpooled.buffer();

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                request.writeBytes(in);
                in.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownEvent.INSTANCE) {
                    StackChannel channel = (StackChannel) ctx.channel();
                    inputShutdownSeen.complete(channel.isInputShutdown() && channel.isActive());
                    ByteBuf answer = ctx.alloc().buffer();
                    answer.writeCharSequence("you said: ", US_ASCII);
                    answer.writeBytes(request);
                    request.release();
                    ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }, true, true);

        RawClient client = net.connect(PORT);
        client.write("ping".getBytes(US_ASCII));
        client.shutdownOutput();

        assertThat(new String(client.readUntilEof(), US_ASCII)).isEqualTo("you said: ping");
        assertThat(inputShutdownSeen.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void writeAfterCloseFailsItsPromiseAndReleasesTheBuffer() throws Exception {
        CompletableFuture<ChannelFuture> lateWrite = new CompletableFuture<>();
        ByteBuf late = ascii("too late");
        net.serve(PORT, onActive(ctx -> {
            ctx.close();
            lateWrite.complete(ctx.writeAndFlush(late));
        }));

        RawClient client = net.connect(PORT);
        ChannelFuture write = lateWrite.get(10, TimeUnit.SECONDS);
        assertThat(write.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(write.isSuccess()).isFalse();
        assertThat(write.cause()).isInstanceOf(ClosedChannelException.class);
        assertThat(late.refCnt()).isZero();
        assertThat(client.readUntilEof()).isEmpty();
    }

    @Test
    void aMegabyteArrivesIntactAndWritabilityFollowsTheWaterMarks() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(42).nextBytes(payload);
        CopyOnWriteArrayList<Boolean> writability = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> writeSucceeded = new CompletableFuture<>();
        net.serve(PORT, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener((ChannelFuture f) -> {
                    writeSucceeded.complete(f.isSuccess());
                    // Netty completes the promise just before it counts the bytes as gone; close after that.
                    f.channel().eventLoop().execute(f.channel()::close);
                });
                writability.add(ctx.channel().isWritable());
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                writability.add(ctx.channel().isWritable());
            }
        });

        RawClient client = net.connect(PORT);
        byte[] got = client.readUntilEof();
        assertThat(got.length).isEqualTo(payload.length);
        assertThat(got).isEqualTo(payload);
        assertThat(writeSucceeded.get(10, TimeUnit.SECONDS)).isTrue();
        // Unwritable while the megabyte waits for the window, writable again once it is all in the stack.
        assertThat(writability).startsWith(false).endsWith(true);
    }

    @Test
    void aFileRegionIsSentWhole(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("page.html"), content);
        net.serve(PORT, onActive(ctx -> ctx.writeAndFlush(new DefaultFileRegion(file.toFile(), 0, content.length))
                .addListener(ChannelFutureListener.CLOSE)));

        RawClient client = net.connect(PORT);
        assertThat(client.readUntilEof()).isEqualTo(content);
    }

    @Test
    void lostSegmentsAreRetransmittedOnTheStacksTimers() throws Exception {
        net.link.a().setLossRate(0.02, 1);
        net.link.b().setLossRate(0.02, 2);
        byte[] payload = new byte[256 * 1024];
        new Random(3).nextBytes(payload);
        net.serve(PORT, onActive(ctx -> ctx.writeAndFlush(Unpooled.wrappedBuffer(payload))
                .addListener(ChannelFutureListener.CLOSE)));

        RawClient client = net.connect(PORT);
        assertThat(client.readUntilEof()).isEqualTo(payload);
        assertThat(net.link.a().droppedFrames() + net.link.b().droppedFrames()).isPositive();
    }

    @Test
    void anIdleConnectionLetsTheLoopSleep() throws Exception {
        net.serve(PORT, new Echo());
        RawClient client = net.connect(PORT);
        client.write("wake".getBytes(US_ASCII));
        client.readExactly(4);

        int waitsBefore = net.serverDevice.waits.get();
        Thread.sleep(500);
        assertThat(net.serverDevice.waits.get() - waitsBefore).isLessThan(10);
        assertThat(client.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void shuttingTheGroupDownResetsOpenConnections() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        net.serve(PORT, onActive(ctx -> accepted.complete(ctx.channel())));
        RawClient client = net.connect(PORT);
        Channel channel = accepted.get(10, TimeUnit.SECONDS);

        assertThat(net.serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(channel.isOpen()).isFalse();
        client.awaitState(TcpState.CLOSED);
    }

    @Test
    void manySmallWritesKeepTheirOrder() throws Exception {
        net.serve(PORT, onActive(ctx -> {
            for (int i = 0; i < 2000; i++) {
                ctx.write(ascii(String.format("%05d;", i)));
            }
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }));

        RawClient client = net.connect(PORT);
        String got = new String(client.readUntilEof(), US_ASCII);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            expected.append(String.format("%05d;", i));
        }
        assertThat(got).isEqualTo(expected.toString());
    }

    @Test
    void withoutAutoReadNothingIsReadUntilTheHandlerAsks() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        net.serve(PORT, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                accepted.complete(ctx.channel());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                reads.incrementAndGet();
                ctx.writeAndFlush(msg);
            }
        }, false, false);

        RawClient client = net.connect(PORT);
        Channel channel = accepted.get(10, TimeUnit.SECONDS);
        client.write("held".getBytes(US_ASCII));
        assertThat(client.bytesArrivingWithin(Duration.ofMillis(300))).isZero();
        assertThat(reads.get()).isZero();

        channel.read();
        assertThat(new String(client.readExactly(4), US_ASCII)).isEqualTo("held");
        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void peerResetMakesTheChannelInactive() throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        net.serve(PORT, onActive(ctx -> accepted.complete(ctx.channel())));

        RawClient client = net.connect(PORT);
        Channel channel = accepted.get(10, TimeUnit.SECONDS);
        client.abort();

        assertThat(channel.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shutdownOutputSendsFinAndKeepsReading() throws Exception {
        CompletableFuture<String> afterShutdown = new CompletableFuture<>();
        net.serve(PORT, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(ascii("half")).addListener((ChannelFuture f) ->
                        ((StackChannel) f.channel()).shutdownOutput());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                afterShutdown.complete(in.toString(US_ASCII)
                        + (((StackChannel) ctx.channel()).isOutputShutdown() ? " (output shut)" : ""));
                in.release();
            }
        });

        RawClient client = net.connect(PORT);
        assertThat(new String(client.readUntilEof(), US_ASCII)).isEqualTo("half");
        client.write("still here".getBytes(US_ASCII));
        assertThat(afterShutdown.get(10, TimeUnit.SECONDS)).isEqualTo("still here (output shut)");
    }

    @Test
    void aClosedConnectionThatNeverFinishesIsResetAfterTheLinger() throws Exception {
        net.close();
        net = new TwoStacks(Duration.ofMillis(200));
        ServerSegments wire = new ServerSegments(net.link.a());
        net.serve(PORT, onActive(ctx -> ctx.close()));

        RawClient client = net.connect(PORT);
        // The client reads the FIN but never closes its side; after the linger the server gives up.
        client.awaitState(TcpState.CLOSE_WAIT);
        client.awaitState(TcpState.CLOSED);
        assertThat(wire.resets()).isEqualTo(1);
    }
}
