package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import morgana.netstack.phy.DeviceCapabilities;
import morgana.netstack.phy.LinkPair;
import org.junit.jupiter.api.Test;

/**
 * With a device that cuts TCP segments itself (TSO), the stack hands it new data many MSS at a time, and what
 * reaches the wire is still MSS-sized segments that the peer takes byte for byte.
 */
class TcpSegmentationOffloadTest {

    /** A link end that says it offloads segmentation and does it in software, as the kernel would under a TAP. */
    static final class OffloadingEnd extends LinkEndDevice {
        final List<Integer> segmentSizes = new ArrayList<>();
        int largestFrame;

        OffloadingEnd(LinkPair.End end) {
            super(end);
        }

        @Override
        public void transmitSegmented(ByteBuffer frame, int segmentSize) {
            segmentSizes.add(segmentSize);
            largestFrame = Math.max(largestFrame, frame.remaining());
            super.transmitSegmented(frame, segmentSize);
        }

        @Override
        public DeviceCapabilities capabilities() {
            return new DeviceCapabilities(false, 1, DeviceCapabilities.MAX_IPV4_PACKET);
        }
    }

    @Test
    void sendsManySegmentsAtATimeToTheDeviceAndTheWireCarriesMssSizedOnes() {
        OffloadingEnd[] offloading = new OffloadingEnd[1];
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)),
                end -> offloading[0] = new OffloadingEnd(end));
        List<Integer> wireFrames = new ArrayList<>();
        net.link.b().setTap(f -> wireFrames.add(f.remaining()));
        TcpConnection[] ends = net.connected(net.server.listen(80));
        TcpConnection c = ends[0];
        TcpConnection accepted = ends[1];

        byte[] data = new byte[2_000_000];
        new Random(5).nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        boolean done = net.sim.runUntil(() -> {
            if (toSend.hasRemaining() && accepted.write(toSend) > 0 && !toSend.hasRemaining()) {
                accepted.close();
            }
            return c.read(got) == -1;
        }, Duration.ofMinutes(5));

        assertThat(done).as(net.client.stats() + " / " + net.server.stats()).isTrue();
        byte[] out = new byte[got.flip().remaining()];
        got.get(out);
        assertThat(out).isEqualTo(data);
        assertThat(offloading[0].segmentSizes).as("super-segments handed to the device").hasSizeGreaterThan(10)
                .allSatisfy(size -> assertThat(size).isEqualTo(1448)); // MSS 1460 less the timestamps
        assertThat(offloading[0].largestFrame).isGreaterThan(30 * 1448);
        assertThat(wireFrames).allSatisfy(length -> assertThat(length).isLessThanOrEqualTo(1514));
        assertThat(net.server.stats().tcpSegmentsSent()).as("far fewer segments than MSS-sized pieces")
                .isLessThan(data.length / 1448 / 4);
    }
}
