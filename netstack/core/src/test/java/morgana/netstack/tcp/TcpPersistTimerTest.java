package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.8.6.1: a closed window is probed, so a lost window update cannot stall the connection. */
class TcpPersistTimerTest {

    @Test
    void dataWrittenAfterTheWindowClosedIsProbedForWhenTheWindowUpdateIsLost() {
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)).withBuffers(8192, 65536));
        TcpConnection[] pair = net.connected(net.server.listen(80));
        pair[0].write(ByteBuffer.wrap(new byte[8192]));
        net.run(() -> pair[0].unacknowledgedBytes() == 0); // all acknowledged, the server's window now closed
        assertThat(((TcpSocket) pair[0]).sendWindow()).isZero();

        boolean[] dropped = {false};
        net.link.b().setDropFilter(frame -> { // the window update the read below causes
            byte[] bytes = new byte[frame.remaining()];
            frame.duplicate().get(bytes);
            try {
                TcpRepr seg = TestFrames.tcpOf(bytes);
                if (!dropped[0] && seg.window() > 0) {
                    dropped[0] = true;
                    return true;
                }
            } catch (Exception notTcp) {
                // ARP and the like go through
            }
            return false;
        });
        ByteBuffer got = ByteBuffer.allocate(16384);
        pair[1].read(got);
        ByteBuffer more = ByteBuffer.wrap(new byte[1000]);

        boolean delivered = net.sim.runUntil(() -> {
            pair[0].write(more); // between polls, as an application would, while the window looks closed
            pair[1].read(got);
            return got.position() == 8192 + 1000;
        }, Duration.ofSeconds(30));
        assertThat(delivered).as("after the persist timer probed the window").isTrue();
        assertThat(dropped[0]).isTrue();
    }
}
