package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.Device;
import morgana.netstack.phy.DeviceCapabilities;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import org.junit.jupiter.api.Test;

/**
 * With a device that cuts TCP segments itself (TSO), the stack hands it new data many MSS at a time, and what
 * reaches the wire is still MSS-sized segments that the peer takes byte for byte.
 */
class TcpSegmentationOffloadTest {

    /** A link end that says it offloads segmentation and does it in software, as the kernel would under a TAP. */
    static final class OffloadingEnd implements Device {
        final LinkPair.End end;
        final List<Integer> segmentSizes = new ArrayList<>();
        int largestFrame;

        OffloadingEnd(LinkPair.End end) {
            this.end = end;
        }

        @Override
        public void transmitSegmented(ByteBuffer frame, int segmentSize) {
            segmentSizes.add(segmentSize);
            largestFrame = Math.max(largestFrame, frame.remaining());
            Device.super.transmitSegmented(frame, segmentSize);
        }

        @Override
        public DeviceCapabilities capabilities() {
            return new DeviceCapabilities(false, 1, DeviceCapabilities.MAX_IPV4_PACKET);
        }

        @Override public boolean receive(ByteBuffer frame) { return end.receive(frame); }
        @Override public void transmit(ByteBuffer frame) { end.transmit(frame); }
        @Override public int mtu() { return end.mtu(); }
        @Override public void awaitFrame(Duration timeout) throws InterruptedException { end.awaitFrame(timeout); }
        @Override public void wakeup() { end.wakeup(); }
    }

    @Test
    void sendsManySegmentsAtATimeToTheDeviceAndTheWireCarriesMssSizedOnes() {
        TcpConfig tcp = TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2));
        NetworkStack client = TwoStacks.clientStack(tcp);
        NetworkStack server = TwoStacks.serverStack(tcp);
        LinkPair link = new LinkPair();
        OffloadingEnd offloading = new OffloadingEnd(link.b());
        List<Integer> wireFrames = new ArrayList<>();
        link.b().setTap(f -> wireFrames.add(f.remaining()));
        Simulator sim = new Simulator(TwoStacks.T0).attach(client, link.a()).attach(server, link.b(), offloading);
        TcpListener listener = server.listen(80);
        TcpConnection c = client.connect(TwoStacks.SERVER_IP, 80);
        TcpConnection[] accepted = new TcpConnection[1];
        assertThat(sim.runUntil(() -> (accepted[0] = accepted[0] != null ? accepted[0] : listener.accept()) != null
                && c.state() == TcpState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();

        byte[] data = new byte[2_000_000];
        new Random(5).nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        boolean done = sim.runUntil(() -> {
            if (toSend.hasRemaining() && accepted[0].write(toSend) > 0 && !toSend.hasRemaining()) {
                accepted[0].close();
            }
            return c.read(got) == -1;
        }, Duration.ofMinutes(5));

        assertThat(done).as(client.stats() + " / " + server.stats()).isTrue();
        byte[] out = new byte[got.flip().remaining()];
        got.get(out);
        assertThat(out).isEqualTo(data);
        assertThat(offloading.segmentSizes).as("super-segments handed to the device").hasSizeGreaterThan(10)
                .allSatisfy(size -> assertThat(size).isEqualTo(1448)); // MSS 1460 less the timestamps
        assertThat(offloading.largestFrame).isGreaterThan(30 * 1448);
        assertThat(wireFrames).allSatisfy(length -> assertThat(length).isLessThanOrEqualTo(1514));
        assertThat(server.stats().tcpSegmentsSent()).as("far fewer segments than MSS-sized pieces")
                .isLessThan(data.length / 1448 / 4);
    }
}
