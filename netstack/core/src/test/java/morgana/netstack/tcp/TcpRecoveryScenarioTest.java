package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** Loss recovery between two stacks, with chosen data segments lost once each. */
class TcpRecoveryScenarioTest {

    static final int SIZE = 200_000;

    /** Drops the first transmission of the data segments with these indexes (0 = the first data segment sent). */
    static void loseFirstTransmissionOf(TwoStacks net, Integer... indexes) {
        Set<Integer> lose = Set.of(indexes);
        Set<Integer> seen = new HashSet<>();
        int[] count = {0};
        net.link.a().setDropFilter(frame -> {
            byte[] bytes = new byte[frame.remaining()];
            frame.duplicate().get(bytes);
            try {
                TcpRepr seg = TestFrames.tcpOf(bytes);
                if (seg.payloadLength() == 0 || !seen.add(seg.seqNumber())) {
                    return false;
                }
                return lose.contains(count[0]++);
            } catch (Exception notTcp) {
                return false;
            }
        });
    }

    /** Sends SIZE bytes from client to server, reading as they come; returns what arrived. */
    static byte[] transfer(TwoStacks net, TcpConnection[] pair) {
        byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer got = ByteBuffer.allocate(SIZE + 1);
        boolean done = net.run(() -> {
            if (toSend.hasRemaining() && pair[0].write(toSend) > 0 && !toSend.hasRemaining()) {
                pair[0].close();
            }
            return pair[1].read(got) == -1;
        });
        assertThat(done).as(net.client.stats() + " / " + net.server.stats()).isTrue();
        assertThat(got.flip().remaining()).isEqualTo(SIZE);
        byte[] out = new byte[SIZE];
        got.get(out);
        assertThat(out).isEqualTo(data);
        return out;
    }

    static void assertOneRecoveryAndNoTimeout(TwoStacks net) {
        assertThat(net.client.stats().tcpFastRetransmissions()).isEqualTo(1);
        assertThat(net.client.stats().tcpRetransmissions()).as("timeouts").isZero();
    }

    static TcpConfig withoutSack() {
        return TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)).withOptions(true, false, true);
    }

    @Test
    void fastRetransmitsOnThreeDuplicateAcksWithoutWaitingForTheRto() {
        TwoStacks net = new TwoStacks(withoutSack());
        TcpConnection[] pair = net.connected(net.server.listen(80));
        loseFirstTransmissionOf(net, 3);

        transfer(net, pair);

        assertOneRecoveryAndNoTimeout(net);
        assertThat(net.sim.now()).isBefore(TwoStacks.T0.plusSeconds(1));
    }

    @Test
    void newRenoRepairsASecondHoleOnThePartialAckInTheSameRecovery() {
        TwoStacks net = new TwoStacks(withoutSack());
        TcpConnection[] pair = net.connected(net.server.listen(80));
        loseFirstTransmissionOf(net, 3, 6);

        transfer(net, pair);

        assertOneRecoveryAndNoTimeout(net);
    }

    @Test
    void sackRecoversSeveralHolesInOneRecoveryWithoutATimeout() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        loseFirstTransmissionOf(net, 2, 4, 6, 8); // four holes in the initial window of ten segments

        transfer(net, pair);

        assertThat(((TcpSocket) pair[0]).sackPermitted()).isTrue();
        assertOneRecoveryAndNoTimeout(net);
        assertThat(net.sim.now()).isBefore(TwoStacks.T0.plusSeconds(1));
    }

    @Test
    void cubicRecoversTheSameWay() {
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withCongestionControl(TcpConfig.CongestionAlgorithm.CUBIC));
        TcpConnection[] pair = net.connected(net.server.listen(80));
        loseFirstTransmissionOf(net, 3, 6);

        transfer(net, pair);

        assertOneRecoveryAndNoTimeout(net);
    }

    @Test
    void theFastRetransmitHalvesTheCongestionWindow() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        TcpSocket sender = (TcpSocket) pair[0];
        long[] before = {0};
        loseFirstTransmissionOf(net, 20);
        long[] smallest = {Long.MAX_VALUE};
        byte[] data = new byte[SIZE];
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer sink = ByteBuffer.allocate(SIZE);
        net.run(() -> {
            pair[0].write(toSend);
            sink.clear();
            pair[1].read(sink);
            if (net.client.stats().tcpFastRetransmissions() == 0) {
                before[0] = sender.congestionWindow();
            } else {
                smallest[0] = Math.min(smallest[0], sender.congestionWindow());
            }
            return !toSend.hasRemaining() && pair[0].unacknowledgedBytes() == 0;
        });

        assertThat(net.client.stats().tcpFastRetransmissions()).isEqualTo(1);
        assertThat(smallest[0]).isLessThan(before[0]).isGreaterThanOrEqualTo(before[0] / 4);
    }

    @Test
    void theMinimumRtoIsConfigurable() {
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withMinRto(Duration.ofMillis(200)));
        TcpConnection[] pair = net.connected(net.server.listen(80));
        pair[0].write(ByteBuffer.wrap(new byte[100]));
        net.run(() -> pair[0].unacknowledgedBytes() == 0); // one RTT sample
        var start = net.sim.now();
        net.link.a().dropNext(1);

        pair[0].write(ByteBuffer.wrap(new byte[100]));
        net.run(() -> pair[0].unacknowledgedBytes() == 0);

        assertThat(((TcpSocket) pair[0]).retransmitTimer().rto()).isEqualTo(Duration.ofMillis(200));
        assertThat(net.client.stats().tcpRetransmissions()).isEqualTo(1);
        assertThat(Duration.between(start, net.sim.now())).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }
}
