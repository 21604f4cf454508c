package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import morgana.netstack.iface.DropReason;
import morgana.netstack.phy.DeviceCapabilities;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.phy.TcpSegmentation;
import morgana.netstack.wire.InternetChecksum;
import org.junit.jupiter.api.Test;

/**
 * Checksum offload, as a TAP with a vnet header gives it: the stack leaves each TCP segment's checksum to a
 * device that says it completes it, and skips checking segments the device vouches for, whatever their
 * checksum field holds. Data still arrives byte for byte, and a segment nobody vouches for is still checked.
 */
class TcpChecksumOffloadTest {

    private static final int ETHERNET = 14;
    private static final int TCP = 6;

    /**
     * The server's end of the link behaving like a TAP and the host's kernel beneath it: it completes the
     * checksums the stack left partial, and hands over the peer's segments with only the pseudo-header sum in
     * them (as Linux sends a segment it made itself), vouched for.
     */
    static final class OffloadingEnd extends LinkEndDevice {
        int partialSent;
        int fullSent;
        int vouchedReceived;

        OffloadingEnd(LinkPair.End end) {
            super(end);
        }

        @Override
        public DeviceCapabilities capabilities() {
            return new DeviceCapabilities(true, 1);
        }

        @Override
        public void transmit(ByteBuffer frame) {
            ByteBuffer f = ByteBuffer.allocate(frame.remaining()).put(frame).flip();
            TcpSegmentation.Layout layout = TcpSegmentation.Layout.of(f).orElse(null);
            if (layout != null) {
                int field = f.getShort(layout.tcpStart() + 16) & 0xFFFF;
                if (field == pseudoHeaderField(f, layout)) {
                    partialSent++;
                } else {
                    fullSent++;
                }
                f.putShort(layout.tcpStart() + 16, (short) 0);
                long sum = InternetChecksum.pseudoHeaderSum(f, ETHERNET, TCP, layout.tcpLength())
                        + InternetChecksum.sum(f, layout.tcpStart(), layout.tcpLength());
                f.putShort(layout.tcpStart() + 16, (short) InternetChecksum.finish(sum));
            }
            end.transmit(f);
        }

        @Override
        public Reception receiveVouched(ByteBuffer frame) {
            int start = frame.position();
            if (!end.receive(frame)) {
                return Reception.NONE;
            }
            ByteBuffer f = frame.duplicate().position(start).slice();
            TcpSegmentation.Layout layout = TcpSegmentation.Layout.of(f).orElse(null);
            if (layout == null) {
                return Reception.FRAME;
            }
            f.putShort(layout.tcpStart() + 16, (short) pseudoHeaderField(f, layout));
            vouchedReceived++;
            return Reception.CHECKSUM_VOUCHED;
        }

        private static int pseudoHeaderField(ByteBuffer f, TcpSegmentation.Layout layout) {
            return ~InternetChecksum.finish(InternetChecksum.pseudoHeaderSum(f, ETHERNET, TCP, layout.tcpLength()))
                    & 0xFFFF;
        }
    }

    @Test
    void segmentsLeaveTheirChecksumToTheDeviceAndVouchedOnesAreTakenUnchecked() {
        OffloadingEnd[] device = new OffloadingEnd[1];
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)),
                end -> device[0] = new OffloadingEnd(end));
        TcpConnection[] ends = net.connected(net.server.listen(80));
        TcpConnection c = ends[0];
        TcpConnection accepted = ends[1];
        OffloadingEnd offloading = device[0];

        byte[] up = new byte[300_000];
        byte[] down = new byte[300_000];
        new Random(11).nextBytes(up);
        new Random(12).nextBytes(down);
        ByteBuffer toServer = ByteBuffer.wrap(up);
        ByteBuffer toClient = ByteBuffer.wrap(down);
        ByteBuffer atServer = ByteBuffer.allocate(up.length);
        ByteBuffer atClient = ByteBuffer.allocate(down.length);
        boolean done = net.sim.runUntil(() -> {
            c.write(toServer);
            accepted.write(toClient);
            accepted.read(atServer);
            c.read(atClient);
            return !atServer.hasRemaining() && !atClient.hasRemaining();
        }, Duration.ofMinutes(2));

        assertThat(done).as(net.client.stats() + " / " + net.server.stats()).isTrue();
        assertThat(atServer.array()).isEqualTo(up);
        assertThat(atClient.array()).isEqualTo(down);
        assertThat(offloading.partialSent).as("segments the server left to the device").isGreaterThan(100);
        assertThat(offloading.fullSent).as("segments it checksummed itself").isZero();
        assertThat(offloading.vouchedReceived).isGreaterThan(100);
        assertThat(net.server.stats().drops(DropReason.TCP_BAD_CHECKSUM)).isZero();
        // The client's device offers no offload: every segment it received had a complete, verified checksum.
        assertThat(net.client.stats().drops(DropReason.TCP_BAD_CHECKSUM)).isZero();
    }
}
