package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/**
 * A path that reorders: chosen data segments reach the server only after some later ones. The sender must
 * tell the reordering from loss (D-SACK, RFC 3708; timestamps, RFC 3522), undo what it cut for nothing, and
 * then wait longer before calling a hole lost (RFC 4653 §3), while a real loss is still repaired at once.
 */
class TcpReorderingScenarioTest {

    /**
     * Holds back the first transmission of the data segments with these indexes (0 = the first data segment
     * sent) until {@code by} more data segments went out; the segments in {@code lose} are dropped instead.
     */
    static void reorder(TwoStacks net, int by, Set<Integer> late, Set<Integer> lose) {
        Set<Integer> seen = new HashSet<>();
        Map<Integer, byte[]> held = new HashMap<>();
        List<Integer> releaseAt = new ArrayList<>();
        int[] count = {0};
        net.link.a().setDropFilter(frame -> {
            byte[] bytes = new byte[frame.remaining()];
            frame.duplicate().get(bytes);
            TcpRepr seg;
            try {
                seg = TestFrames.tcpOf(bytes);
            } catch (Exception notTcp) {
                return false;
            }
            if (seg.payloadLength() == 0) {
                return false;
            }
            int index = count[0]++;
            for (int i = 0; i < releaseAt.size(); i++) {
                if (releaseAt.get(i) <= index) {
                    net.link.b().inject(held.remove(releaseAt.get(i)));
                    releaseAt.remove(i--);
                }
            }
            if (!seen.add(seg.seqNumber())) {
                return false; // a retransmission goes straight through
            }
            int original = seen.size() - 1;
            if (lose.contains(original)) {
                return true;
            }
            if (late.contains(original)) {
                held.put(index + by, bytes);
                releaseAt.add(index + by);
                return true;
            }
            return false;
        });
    }

    static long spurious(TwoStacks net) {
        return net.client.stats().drops(DropReason.TCP_SPURIOUS_RETRANSMISSION);
    }

    @Test
    void aFirstReorderingIsTakenForLossThenUndoneWhenTheDsackShowsTheOriginalArrived() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        TcpSocket sender = (TcpSocket) pair[0];
        reorder(net, 10, Set.of(30), Set.of());

        TcpRecoveryScenarioTest.transfer(net, pair);

        assertThat(net.client.stats().tcpFastRetransmissions()).isEqualTo(1);
        assertThat(spurious(net)).as("undone").isEqualTo(1);
        assertThat(net.client.stats().tcpRetransmissions()).as("timeouts").isZero();
        assertThat(sender.congestionControlState().ssthresh()).as("ssthresh restored").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aReorderedSegmentNoLongerCausesAFastRetransmitOnceReorderingWasSeen() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        reorder(net, 8, Set.of(30, 70, 100, 120), Set.of());

        TcpRecoveryScenarioTest.transfer(net, pair);

        assertThat(net.client.stats().tcpFastRetransmissions()).as("only the first reordering").isEqualTo(1);
        assertThat(spurious(net)).isEqualTo(1);
        assertThat(net.client.stats().tcpRetransmissions()).as("timeouts").isZero();
    }

    @Test
    void aRealLossIsStillRecoveredByFastRetransmitAfterReorderingRaisedTheThreshold() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        reorder(net, 8, Set.of(30), Set.of(90));

        TcpRecoveryScenarioTest.transfer(net, pair);

        assertThat(net.client.stats().tcpFastRetransmissions()).as("the reordering, then the loss").isEqualTo(2);
        assertThat(spurious(net)).as("the loss is not undone").isEqualTo(1);
        assertThat(net.client.stats().tcpRetransmissions()).as("timeouts").isZero();
        assertThat(net.sim.now()).isBefore(TwoStacks.T0.plusSeconds(1)); // the minimum RTO is 1 s
    }

    @Test
    void aRealLossAfterAnotherIsNotTakenForReordering() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        TcpRecoveryScenarioTest.loseFirstTransmissionOf(net, 30, 90);

        TcpRecoveryScenarioTest.transfer(net, pair);

        assertThat(net.client.stats().tcpFastRetransmissions()).isEqualTo(2);
        assertThat(spurious(net)).isZero();
        assertThat(net.client.stats().tcpRetransmissions()).as("timeouts").isZero();
    }

    @Test
    void withoutSackTheEifelCheckUndoesAFastRetransmitThatTheOriginalBeat() {
        // 5 ms each way, so the original and its fast retransmission carry different timestamps; the original
        // arrives late enough for three duplicate ACKs, but before the retransmission
        TwoStacks net = new TwoStacks(TcpRecoveryScenarioTest.withoutSack(), Duration.ofMillis(5));
        TcpConnection[] pair = net.connected(net.server.listen(80));
        TcpSocket sender = (TcpSocket) pair[0];
        reorder(net, 6, Set.of(30), Set.of());

        TcpRecoveryScenarioTest.transfer(net, pair);

        assertThat(net.client.stats().tcpFastRetransmissions()).isEqualTo(1);
        assertThat(spurious(net)).isEqualTo(1);
        assertThat(sender.congestionControlState().ssthresh()).isEqualTo(Long.MAX_VALUE);
    }
}
