package morgana.netstack.phy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.sim.Simulator;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpListener;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    Instant now = T0;
    final LinkPair link = new LinkPair();

    /** Sends {@code count} numbered frames through {@code faults} and returns what reached the other end. */
    List<byte[]> send(FaultInjector faults, int count) {
        for (int i = 0; i < count; i++) {
            faults.transmit(ByteBuffer.wrap(ByteBuffer.allocate(64).putInt(0, i).array()));
        }
        faults.receive(ByteBuffer.allocate(1600)); // what a poll does: releases the frames that are due
        List<byte[]> out = new ArrayList<>();
        for (byte[] f; (f = link.b().takeReceived()) != null; ) {
            out.add(f);
        }
        return out;
    }

    static List<Integer> numbers(List<byte[]> frames) {
        return frames.stream().map(f -> ByteBuffer.wrap(f).getInt(0)).toList();
    }

    @Test
    void passesFramesUntouchedWithoutFaults() {
        FaultInjector faults = new FaultInjector(link.a(), 1, () -> now);

        assertThat(numbers(send(faults, 5))).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void losesAboutTheGivenShareReproducibly() {
        FaultInjector one = new FaultInjector(link.a(), 7, () -> now).loss(0.25);
        List<Integer> first = numbers(send(one, 1000));
        FaultInjector two = new FaultInjector(link.a(), 7, () -> now).loss(0.25);
        List<Integer> second = numbers(send(two, 1000));

        assertThat(first).isEqualTo(second);
        assertThat(one.lost()).isBetween(200L, 300L);
        assertThat(first).hasSize(1000 - (int) one.lost());
    }

    @Test
    void duplicatesFrames() {
        FaultInjector faults = new FaultInjector(link.a(), 2, () -> now).duplication(0.5);

        List<byte[]> got = send(faults, 100);

        assertThat(got).hasSize(100 + (int) faults.duplicated());
        assertThat(faults.duplicated()).isBetween(30L, 70L);
    }

    @Test
    void flipsOneBitInACorruptedFrame() {
        FaultInjector faults = new FaultInjector(link.a(), 3, () -> now).corruption(1.0);

        byte[] got = send(faults, 1).get(0);

        byte[] sent = ByteBuffer.allocate(64).putInt(0, 0).array();
        int differingBits = 0;
        for (int i = 0; i < sent.length; i++) {
            differingBits += Integer.bitCount((sent[i] ^ got[i]) & 0xFF);
        }
        assertThat(differingBits).isEqualTo(1);
    }

    @Test
    void reordersByHoldingFramesBack() {
        FaultInjector faults = new FaultInjector(link.a(), 4, () -> now).reordering(0.3);
        List<Integer> got = new ArrayList<>(numbers(send(faults, 50)));
        now = now.plusSeconds(1);
        got.addAll(numbers(send(faults, 0)));

        assertThat(got).hasSize(50).containsExactlyInAnyOrderElementsOf(numbers(sendNothing(50)));
        assertThat(got).isNotEqualTo(got.stream().sorted().toList());
        assertThat(faults.reordered()).isPositive();
    }

    private static List<byte[]> sendNothing(int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(ByteBuffer.allocate(64).putInt(0, i).array());
        }
        return out;
    }

    @Test
    void delaysFramesUntilTheirTimeComes() {
        FaultInjector faults = new FaultInjector(link.a(), 5, () -> now).delay(Duration.ofMillis(50), Duration.ZERO);

        assertThat(send(faults, 3)).isEmpty();
        assertThat(faults.nextRelease()).contains(T0.plusMillis(50));
        now = T0.plusMillis(49);
        assertThat(send(faults, 0)).isEmpty();
        now = T0.plusMillis(50);
        assertThat(numbers(send(faults, 0))).containsExactly(0, 1, 2);
    }

    @Test
    void shapesToTheRateAndDropsWhatWouldQueueTooLong() {
        // 64-byte frames at 6400 bytes/s: one every 10 ms; the queue holds 100 ms.
        FaultInjector faults = new FaultInjector(link.a(), 6, () -> now).rateLimit(6400, Duration.ofMillis(100));

        send(faults, 20);

        assertThat(faults.rateLimited()).isEqualTo(9); // frames 0..10 fit within 100 ms of queueing
        assertThat(faults.held()).isEqualTo(11);
        now = T0.plusMillis(35);
        assertThat(numbers(send(faults, 0))).containsExactly(0, 1, 2);
    }

    /** A 200 KB TCP transfer arrives intact through every fault at once, both ways, the same way for a seed. */
    @Test
    void tcpSurvivesEveryFaultAtOnce() {
        long[] first = transferThroughFaults(11);
        long[] again = transferThroughFaults(11);

        assertThat(first).isEqualTo(again);
    }

    private long[] transferThroughFaults(long seed) {
        LinkPair wire = new LinkPair();
        Simulator sim = new Simulator(T0);
        NetworkStack client = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:00:00:01"),
                Ipv4Cidr.parse("10.1.0.1/24"), null));
        NetworkStack server = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:00:00:02"),
                Ipv4Cidr.parse("10.1.0.2/24"), null));
        FaultInjector there = new FaultInjector(wire.a(), seed, sim::now).loss(0.02).duplication(0.02)
                .reordering(0.05).corruption(0.01).delay(Duration.ofMillis(10), Duration.ofMillis(3))
                .rateLimit(2_000_000, Duration.ofMillis(100));
        FaultInjector back = new FaultInjector(wire.b(), seed + 1, sim::now).loss(0.02).duplication(0.02)
                .reordering(0.05).corruption(0.01).delay(Duration.ofMillis(10), Duration.ofMillis(3));
        sim.attach(client, wire.a(), there).attach(server, wire.b(), back);
        TcpListener listener = server.listen(80);
        TcpConnection c = client.connect(Ipv4Address.parse("10.1.0.2"), 80);
        byte[] data = new byte[200_000];
        new Random(seed).nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer received = ByteBuffer.allocate(data.length);
        TcpConnection[] accepted = new TcpConnection[1];

        boolean done = sim.runUntil(() -> {
            if (accepted[0] == null) {
                accepted[0] = listener.accept();
            }
            if (c.state() == TcpState.ESTABLISHED && toSend.hasRemaining()) {
                c.write(toSend);
            }
            if (accepted[0] != null) {
                accepted[0].read(received);
            }
            return !received.hasRemaining();
        }, Duration.ofMinutes(10));

        assertThat(done).as("transfer finished: " + client.stats() + " / " + server.stats()).isTrue();
        assertThat(Arrays.equals(received.array(), data)).isTrue();
        assertThat(there.lost() + there.corrupted() + there.duplicated() + there.reordered()).isPositive();
        return new long[] {sim.now().toEpochMilli(), there.lost(), back.lost(), client.stats().tcpRetransmissions()};
    }
}
