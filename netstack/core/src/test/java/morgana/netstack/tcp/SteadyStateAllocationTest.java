package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.Device;
import org.junit.jupiter.api.Test;

/**
 * What a bulk transfer allocates once it runs (issue 4: no allocation per packet in steady state). Two stacks
 * joined by a cable that recycles its frame buffers, polled from this thread with instants made beforehand,
 * so that everything this thread allocates while the bytes move is the stacks' own. Counted by the JVM's
 * per-thread allocation counter, which does not depend on timing or on what the JIT has compiled yet (the
 * interpreter allocates what escape analysis would later remove, so this counts what the code asks for).
 */
class SteadyStateAllocationTest {

    private static final int CHUNK = 64 * 1024;
    private static final long WARM_UP_BYTES = 8L << 20;
    private static final long MEASURED_BYTES = Long.getLong("morgana.test.measuredBytes", 8L << 20);

    @Test
    void aBulkTransferMakesNoObjectPerSegmentOnceItRuns() {
        BytesPerSegment measured = transfer();
        System.out.printf("steady state: %d bytes allocated over %d segments: %.1f a segment%n",
                measured.bytes, measured.segments, measured.perSegment());
        assertThat(measured.segments).as("the transfer moved").isGreaterThan(5_000);
        assertThat(measured.bytes).as("bytes allocated while %d segments went through both stacks", measured.segments)
                .isLessThanOrEqualTo(ALLOWANCE_PER_SEGMENT * measured.segments);
    }

    /**
     * Less than the smallest object per segment: what is left is per poll and per timer (an {@code Instant} when
     * the retransmission timer moves), a few bytes a segment on average, not one object each.
     */
    private static final long ALLOWANCE_PER_SEGMENT = 16;

    private record BytesPerSegment(long bytes, long segments) {
        double perSegment() {
            return segments == 0 ? 0 : (double) bytes / segments;
        }
    }

    private static BytesPerSegment transfer() {
        TcpConfig tcp = TcpConfig.defaults();
        NetworkStack client = TwoStacks.clientStack(tcp);
        NetworkStack server = TwoStacks.serverStack(tcp);
        RecyclingCable cable = new RecyclingCable(1500, 512);
        Instant[] clock = new Instant[1 << 16];
        for (int i = 0; i < clock.length; i++) {
            clock[i] = TwoStacks.T0.plus(Duration.ofNanos(50_000L * i));
        }
        TcpListener listener = server.listen(80);
        TcpConnection sender = client.connect(TwoStacks.SERVER_IP, 80);
        TcpConnection[] receiver = new TcpConnection[1];
        int[] tick = {0};
        Runnable poll = () -> {
            Instant now = clock[tick[0]++ & (clock.length - 1)];
            client.poll(now, cable.a);
            server.poll(now, cable.b);
        };
        for (int i = 0; i < 1_000 && (receiver[0] == null || sender.state() != TcpState.ESTABLISHED); i++) {
            poll.run();
            if (receiver[0] == null) {
                receiver[0] = listener.accept();
            }
        }
        assertThat(receiver[0]).as("accepted").isNotNull();
        ByteBuffer source = ByteBuffer.allocate(CHUNK);
        ByteBuffer sink = ByteBuffer.allocate(CHUNK);
        move(sender, receiver[0], source, sink, poll, WARM_UP_BYTES);

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long segmentsBefore = client.stats().tcpSegmentsReceived() + server.stats().tcpSegmentsReceived();
        long before = threads.getCurrentThreadAllocatedBytes();
        move(sender, receiver[0], source, sink, poll, MEASURED_BYTES);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long segments = client.stats().tcpSegmentsReceived() + server.stats().tcpSegmentsReceived() - segmentsBefore;
        assertThat(client.stats().totalDrops() + server.stats().totalDrops()).as("nothing dropped").isZero();
        return new BytesPerSegment(allocated, segments);
    }

    /** Writes and reads until {@code bytes} have arrived; no allocation of its own. */
    private static void move(TcpConnection sender, TcpConnection receiver, ByteBuffer source, ByteBuffer sink,
                             Runnable poll, long bytes) {
        long received = 0;
        for (int rounds = 0; received < bytes; rounds++) {
            if (!source.hasRemaining()) {
                source.clear();
            }
            sender.write(source);
            poll.run();
            sink.clear();
            int n = receiver.read(sink);
            received += Math.max(n, 0);
            if (rounds > 10_000_000) {
                throw new AssertionError("the transfer stalled at " + received + " bytes");
            }
        }
    }

    /** Two devices joined by a cable whose frames live in buffers made once and reused. */
    private static final class RecyclingCable {
        final End a;
        final End b;

        RecyclingCable(int mtu, int slots) {
            a = new End(mtu, slots);
            b = new End(mtu, slots);
            a.peer = b;
            b.peer = a;
        }

        static final class End implements Device {
            private final int mtu;
            private final ByteBuffer[] slots;
            private int head;
            private int count;
            private End peer;

            End(int mtu, int slots) {
                this.mtu = mtu;
                this.slots = new ByteBuffer[slots];
                for (int i = 0; i < slots; i++) {
                    this.slots[i] = ByteBuffer.allocate(mtu + 18);
                }
            }

            @Override
            public boolean receive(ByteBuffer frame) {
                if (count == 0) {
                    frame.clear().flip();
                    return false;
                }
                ByteBuffer slot = slots[head];
                head = (head + 1) % slots.length;
                count--;
                frame.put(slot.array(), 0, slot.limit()).flip();
                return true;
            }

            @Override
            public void transmit(ByteBuffer frame) {
                End to = peer;
                if (to.count == to.slots.length) {
                    throw new AssertionError("the cable is full: the test polls too rarely");
                }
                ByteBuffer slot = to.slots[(to.head + to.count) % to.slots.length];
                slot.clear();
                slot.put(0, frame, frame.position(), frame.remaining()).limit(frame.remaining());
                to.count++;
            }

            @Override
            public int mtu() {
                return mtu;
            }

            @Override
            public void awaitFrame(Duration timeout) {
            }

            @Override
            public void wakeup() {
            }
        }
    }
}
