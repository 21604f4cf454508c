package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Run by {@link PacketSocketDeviceTest} in a child JVM inside a namespace holding a veth pair va/vb (both
 * down): va reads from a TPACKET_V3 ring with the virtio-net header, vb from one without (MTU 1400). Frames go
 * both ways; a burst lands in vb's ring before it reads; a frame longer than vb's MTU is dropped; the ring goes
 * away on close. Prints what it saw.
 */
public final class RingProbe {

    static final int BURST = 200;

    public static void main(String[] args) throws Exception {
        PacketProbe.bringUpPair().setMtu("vb", 1400);
        PacketProbe.awaitCarrier("va", Duration.ofSeconds(5));
        PacketProbe.awaitCarrier("vb", Duration.ofSeconds(5));
        Random random = new Random(Long.parseUnsignedLong(args[0], 16));

        int fd;
        long ring;
        PacketSocketDevice kept;
        try (PacketSocketDevice va = PacketSocketDevice.open("va", PacketSocketMode.RING);
                PacketSocketDevice vb = PacketSocketDevice.openRing("vb", false)) {
            kept = vb;
            System.out.println("ring va " + va.readsFromRing() + " header " + va.takesMergedSegments()
                    + ", vb " + vb.readsFromRing() + " header " + vb.takesMergedSegments()
                    + ", refused " + va.ringRefused().orElse("no"));

            ByteBuffer there = frame(vb, va, 1400 + 14, random);
            va.transmit(there.duplicate());
            System.out.println("va to vb exact " + exact(receive(vb, 1, Duration.ofSeconds(5)), there));
            ByteBuffer back = frame(va, vb, 1400 + 14, random);
            vb.transmit(back.duplicate());
            System.out.println("vb to va exact " + exact(receive(va, 1, Duration.ofSeconds(5)), back));

            // A burst sent before vb reads: the kernel packs it into a block or a few, handed over whole.
            List<ByteBuffer> sent = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                ByteBuffer f = frame(vb, va, 60 + random.nextInt(200), random);
                f.putShort(14, (short) i);
                sent.add(f);
                va.transmit(f.duplicate());
            }
            long blocksBefore = vb.ringBlocksRead();
            Thread.sleep(50); // past the retire timeout: the last block is handed over too
            List<ByteBuffer> burst = receive(vb, BURST, Duration.ofSeconds(5));
            boolean inOrder = burst.size() == BURST;
            for (int i = 0; inOrder && i < BURST; i++) {
                inOrder = burst.get(i).equals(sent.get(i));
            }
            long blocks = vb.ringBlocksRead() - blocksBefore;
            System.out.println("burst: " + burst.size() + " of " + BURST + " in order and exact " + inOrder
                    + ", blocks fewer than a tenth of the frames " + (blocks > 0 && blocks < BURST / 10));

            // Longer than the buffer the stack hands in: dropped and counted, and the frame after it comes.
            long dropped = vb.droppedOnReceive();
            va.transmit(frame(vb, va, 1000, random));
            ByteBuffer after = frame(vb, va, 100, random);
            va.transmit(after.duplicate());
            List<ByteBuffer> next = receive(vb, 1, Duration.ofSeconds(5), 200);
            System.out.println("oversized: dropped " + (vb.droppedOnReceive() - dropped) + ", the next delivered "
                    + exact(next, after));

            fd = vb.fd;
            ring = vb.ringAddress();
            System.out.println("before close: mapped " + mapped(ring) + ", fd open " + Files.exists(fdPath(fd)));
        }
        System.out.println("after close: mapped " + mapped(ring) + ", fd open " + Files.exists(fdPath(fd))
                + ", device open " + kept.isOpen());
        System.out.println("done");
    }

    /** An experimental-EtherType frame of {@code length} bytes from {@code from} to {@code to}, random after its header. */
    private static ByteBuffer frame(PacketSocketDevice to, PacketSocketDevice from, int length, Random random) {
        byte[] payload = new byte[length - 14];
        random.nextBytes(payload);
        return ByteBuffer.allocate(length).put(to.macAddress().toBytes()).put(from.macAddress().toBytes())
                .putShort((short) PacketProbe.ETHERTYPE_EXPERIMENTAL).put(payload).flip();
    }

    /** Up to {@code count} experimental frames on {@code device} within {@code timeout}, in the order read. */
    private static List<ByteBuffer> receive(PacketSocketDevice device, int count, Duration timeout)
            throws InterruptedException {
        return receive(device, count, timeout, 70_000);
    }

    /** As above, into a buffer of {@code room} bytes. */
    private static List<ByteBuffer> receive(PacketSocketDevice device, int count, Duration timeout, int room)
            throws InterruptedException {
        List<ByteBuffer> frames = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocate(room);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count && System.nanoTime() < deadline) {
            device.awaitFrame(Duration.ofMillis(100));
            frame.clear();
            while (frames.size() < count && device.receive(frame)) {
                if (TestFrames.etherType(frame) == PacketProbe.ETHERTYPE_EXPERIMENTAL) {
                    frames.add(ByteBuffer.allocate(frame.limit()).put(frame).flip());
                }
                frame.clear();
            }
        }
        return frames;
    }

    private static boolean exact(List<ByteBuffer> received, ByteBuffer sent) {
        if (received.size() != 1) {
            System.out.println("received " + received.size() + " frames");
            return false;
        }
        return received.getFirst().equals(sent);
    }

    /** Whether a mapping starting at {@code address} is in this process's /proc/self/maps. */
    private static boolean mapped(long address) throws Exception {
        String start = HexFormat.of().toHexDigits(address).replaceFirst("^0+(?=.)", "") + "-";
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.startsWith(start));
    }

    private static Path fdPath(int fd) {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }
}
