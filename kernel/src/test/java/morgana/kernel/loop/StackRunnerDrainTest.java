package morgana.kernel.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import morgana.kernel.device.LoopbackPairDevice;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * A runner's clean shutdown over a loopback pair: our stack serves on one end, a second stack, polled by the
 * test, is the client on the other. A connection that got its answer is closed at once; one still receiving a
 * large answer gets all of it, then the FIN.
 */
class StackRunnerDrainTest {

    private static final int ANSWER_BYTES = 1 << 20;
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.77.0.1");

    @Test
    void drainClosesTheAnsweredConnectionAndLetsTheBusyOneFinishItsAnswer() throws Exception {
        try (LoopbackPairDevice.Pair pair = LoopbackPairDevice.open(1500)) {
            StackRunner runner = StackRunner.start(pair.a(), StackConfig.of(MacAddress.parse("02:00:00:77:00:01"),
                    Ipv4Cidr.parse("10.77.0.1/24"), null), 80, new LargeAnswer(), Clock.systemUTC());
            Client client = new Client(pair.b());
            try {
                TcpConnection answered = client.connect();
                client.send(answered, "a");
                assertThat(client.readUpTo(answered, ANSWER_BYTES, Integer.MAX_VALUE)).isEqualTo(ANSWER_BYTES);
                TcpConnection busy = client.connect();
                client.send(busy, "b");
                assertThat(client.readUpTo(busy, 64 * 1024, 1024)).isEqualTo(64 * 1024);

                CompletableFuture<StackRunner.Drain> drain = CompletableFuture.supplyAsync(() -> {
                    try {
                        return runner.drain(Duration.ofSeconds(60));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long rest = client.readToEnd(busy, 2048);

                assertThat(64 * 1024 + rest).as("the busy connection's whole answer, then its FIN").isEqualTo(ANSWER_BYTES);
                assertThat(client.readToEnd(answered, 2048)).as("the answered one: a FIN and nothing else").isZero();
                client.pumpUntil(drain::isDone);
                assertThat(drain.get(60, TimeUnit.SECONDS)).isEqualTo(new StackRunner.Drain(2, 2, 0));
            } finally {
                runner.close();
            }
        }
    }

    /** Answers any request with {@link #ANSWER_BYTES} bytes, in one write. */
    private static final class LargeAnswer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel channel) {
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    ByteBuf answer = Unpooled.buffer(ANSWER_BYTES);
                    answer.writerIndex(ANSWER_BYTES);
                    ctx.writeAndFlush(answer);
                }
            });
        }
    }

    /** A stack the test polls itself, on the pair's other end; every wait is bounded. */
    private static final class Client {
        private static final Duration PATIENCE = Duration.ofSeconds(60);
        private final LoopbackPairDevice device;
        private final NetworkStack stack = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:77:00:02"),
                Ipv4Cidr.parse("10.77.0.2/24"), null));

        Client(LoopbackPairDevice device) {
            this.device = device;
        }

        TcpConnection connect() throws InterruptedException {
            TcpConnection connection = stack.connect(SERVER, 80);
            pumpUntil(() -> connection.state().toString().equals("ESTABLISHED"));
            return connection;
        }

        void send(TcpConnection connection, String text) throws InterruptedException {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            pumpUntil(() -> {
                connection.write(bytes);
                return !bytes.hasRemaining();
            });
        }

        /** Reads until {@code wanted} bytes came, at most {@code perPoll} per poll (a slow reader's window). */
        long readUpTo(TcpConnection connection, long wanted, int perPoll) throws InterruptedException {
            long[] got = {0};
            ByteBuffer buffer = ByteBuffer.allocate(perPoll == Integer.MAX_VALUE ? 65_536 : perPoll);
            pumpUntil(() -> {
                buffer.clear().limit((int) Math.min(buffer.capacity(), wanted - got[0]));
                int n = connection.read(buffer);
                got[0] += Math.max(n, 0);
                return got[0] >= wanted || n < 0;
            });
            return got[0];
        }

        long readToEnd(TcpConnection connection, int perPoll) throws InterruptedException {
            long[] got = {0};
            boolean[] ended = {false};
            ByteBuffer buffer = ByteBuffer.allocate(perPoll);
            pumpUntil(() -> {
                buffer.clear();
                int n = connection.read(buffer);
                if (n < 0) {
                    ended[0] = true;
                } else {
                    got[0] += n;
                }
                return ended[0];
            });
            return got[0];
        }

        void pumpUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
            Instant deadline = Instant.now().plus(PATIENCE);
            while (!done.getAsBoolean()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the client waited " + PATIENCE + " in vain");
                }
                Instant now = Instant.now();
                stack.poll(now, device);
                Duration wait = stack.pollAt(now).map(at -> Duration.between(Instant.now(), at))
                        .filter(d -> !d.isNegative()).orElse(Duration.ofMillis(5));
                device.awaitFrame(wait.compareTo(Duration.ofMillis(5)) > 0 ? Duration.ofMillis(5) : wait);
            }
        }
    }
}
