package morgana.kernel.device;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import morgana.netstack.phy.Device.Reception;

/**
 * Run by {@link PacketSocketDeviceTest} in a child JVM inside a namespace holding a veth pair va/vb (both
 * down): va's packet socket has a virtio-net header and hands the kernel one TCP segment larger than the MTU
 * to cut; vb receives the pieces first on a plain socket (GRO off), then on one with a header (GRO on, so the
 * pieces come merged again), and last one segment whose checksum the kernel left partial. Prints what it saw.
 * With a second argument {@code ring}, both read from a TPACKET_V3 ring ({@link PacketSocketMode#RING}), vb's
 * first socket from one without the header.
 */
public final class VnetProbe {

    private static final int ETHTOOL_STSO = 0x1F; // linux/ethtool.h
    private static final byte[] VA_IP = {10, 9, 0, 1};
    private static final byte[] VB_IP = {10, 9, 0, 2};
    static final int SEGMENT_SIZE = 1400;
    static final int PAYLOAD = 20 * SEGMENT_SIZE + 123;

    public static void main(String[] args) throws Exception {
        SystemLinks links = PacketProbe.bringUpPair();
        // Without TSO on va, the kernel cuts our segment in software (GSO) before the veth carries it.
        links.ethtoolValue("va", ETHTOOL_STSO, 0, "turn TSO off on va");
        links.setGenericReceiveOffload("vb", false);
        PacketProbe.awaitCarrier("va", Duration.ofSeconds(5));
        PacketProbe.awaitCarrier("vb", Duration.ofSeconds(5));
        byte[] payload = new byte[PAYLOAD];
        new Random(Long.parseUnsignedLong(args[0], 16)).nextBytes(payload);

        boolean ring = args.length > 1 && args[1].equals("ring");
        try (PacketSocketDevice va = PacketSocketDevice.open("va", ring ? PacketSocketMode.RING : PacketSocketMode.VNET)) {
            ByteBuffer segment;
            try (PacketSocketDevice vb = ring ? PacketSocketDevice.openRing("vb", false) : PacketSocketDevice.open("vb", false)) {
                System.out.println("header va " + va.takesMergedSegments() + " vb " + vb.takesMergedSegments()
                        + ", capabilities va " + va.capabilities() + " vb " + vb.capabilities());
                segment = TestFrames.tcpSegment(vb.macAddress().toBytes(), va.macAddress().toBytes(), VA_IP, VB_IP,
                        1000, payload);
                va.transmitSegmented(segment.duplicate(), SEGMENT_SIZE);
                List<ByteBuffer> pieces = receive(vb, false, payload.length);
                System.out.println("plain: " + pieces.size() + " frames, largest " + largest(pieces)
                        + ", checksums valid " + pieces.stream().allMatch(VnetProbe::checksumValid)
                        + ", completed by the device " + vb.checksumsCompleted() + ", payload exact "
                        + Arrays.equals(join(pieces), payload));
            }
            links.setGenericReceiveOffload("vb", true);
            try (PacketSocketDevice vb = PacketSocketDevice.open("vb", ring ? PacketSocketMode.RING : PacketSocketMode.VNET)) {
                if (ring && !(va.readsFromRing() && vb.readsFromRing() && vb.takesMergedSegments())) {
                    System.out.println("no ring with a header: " + vb.ringRefused().orElse("?"));
                }
                va.transmitSegmented(segment.duplicate(), SEGMENT_SIZE);
                List<ByteBuffer> merged = receive(vb, true, payload.length);
                System.out.println("merged: fewer frames " + (merged.size() < PAYLOAD / SEGMENT_SIZE)
                        + ", largest above the MTU " + (largest(merged) > vb.mtu() + DescriptorDevice.FRAME_OVERHEAD)
                        + ", payload exact " + Arrays.equals(join(merged), payload)
                        + ", dropped " + vb.droppedOnReceive());

                byte[] small = Arrays.copyOf(payload, 100);
                va.transmit(TestFrames.tcpSegment(vb.macAddress().toBytes(), va.macAddress().toBytes(), VA_IP, VB_IP,
                        7, small));
                List<ByteBuffer> one = receive(vb, true, small.length);
                ByteBuffer frame = one.getFirst();
                System.out.println("partial: " + one.size() + " frame, vouched, field is not the full checksum "
                        + !checksumValid(frame) + ", payload exact "
                        + Arrays.equals(join(one), small));
                va.transmit(TestFrames.tcpSegment(vb.macAddress().toBytes(), va.macAddress().toBytes(), VA_IP, VB_IP,
                        7, small));
                List<ByteBuffer> completed = receive(vb, false, small.length);
                System.out.println("completed: checksum valid " + checksumValid(completed.getFirst()));
            }
        }
        System.out.println("done");
    }

    /**
     * The TCP frames from va that carry {@code bytes} of payload in all, in sequence order; with
     * {@code vouched}, each must come as the device vouches for (else the probe says so and stops).
     */
    private static List<ByteBuffer> receive(PacketSocketDevice device, boolean vouched, int bytes)
            throws InterruptedException {
        List<ByteBuffer> frames = new ArrayList<>();
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ByteBuffer frame = ByteBuffer.allocate(70_000);
        while (seen < bytes && System.nanoTime() < deadline) {
            device.awaitFrame(Duration.ofMillis(100));
            while (true) {
                frame.clear();
                Reception r = vouched ? device.receiveVouched(frame) : (device.receive(frame) ? Reception.FRAME : Reception.NONE);
                if (r == Reception.NONE) {
                    break;
                }
                if (TestFrames.etherType(frame) != TestFrames.ETHERTYPE_IPV4 || frame.get(14 + 9) != 6) {
                    continue; // IPv6 router solicitations and the like
                }
                if (vouched && r != Reception.CHECKSUM_VOUCHED) {
                    System.out.println("not vouched: a frame of " + frame.limit());
                    System.exit(1);
                }
                ByteBuffer copy = ByteBuffer.allocate(frame.limit()).put(frame).flip();
                frames.add(copy);
                seen += TestFrames.tcpPayload(copy).length;
            }
        }
        frames.sort(Comparator.comparingLong(TestFrames::sequence));
        return frames;
    }

    private static boolean checksumValid(ByteBuffer frame) {
        int at = 14 + (frame.get(14) & 0x0F) * 4 + 16;
        return frame.getShort(at) == TestFrames.tcpChecksum(frame);
    }

    private static int largest(List<ByteBuffer> frames) {
        return frames.stream().mapToInt(ByteBuffer::limit).max().orElse(0);
    }

    private static byte[] join(List<ByteBuffer> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(TestFrames.tcpPayload(f)));
        return out.toByteArray();
    }
}
