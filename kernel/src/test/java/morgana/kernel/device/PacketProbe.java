package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import morgana.netstack.wire.MacAddress;

/**
 * Run by {@link PacketSocketDeviceTest} in a child JVM inside a namespace holding a veth pair va/vb (both
 * down): configures the links with {@link SystemLinks}, opens a packet socket on each end and sends a frame
 * each way, printing what happened.
 */
public final class PacketProbe {

    static final int ETHERTYPE_EXPERIMENTAL = 0x88B5; // IEEE 802 local experimental
    static final MacAddress VA_MAC = MacAddress.parse("02:00:00:00:0a:01");

    static final int FLOOD = 5000;

    public static void main(String[] args) throws Exception {
        SystemLinks links = SystemLinks.system();
        System.out.println("index va " + links.awaitInterface("va", Duration.ofSeconds(2)));
        try {
            links.awaitInterface("nosuch0", Duration.ofMillis(300));
            System.out.println("found nosuch0?");
        } catch (InterfaceNotFoundException e) {
            System.out.println("missing: " + e.getMessage());
        }
        links.setHardwareAddress("va", VA_MAC);
        System.out.println("up before " + links.isUp("va"));
        links.up("va");
        links.up("vb");
        links.setMtu("vb", 1400);
        System.out.println("up after " + links.isUp("va") + " " + links.isUp("vb"));
        // A veth's carrier comes up a moment after the link does; a frame sent before that is dropped.
        awaitCarrier("va", Duration.ofSeconds(5));
        awaitCarrier("vb", Duration.ofSeconds(5));
        System.out.println("mtu vb " + links.mtu("vb"));
        links.setGenericReceiveOffload("vb", true);
        boolean groOn = links.genericReceiveOffload("vb");
        links.setGenericReceiveOffload("vb", false);
        System.out.println("gro vb " + groOn + " then " + links.genericReceiveOffload("vb"));

        try (PacketSocketDevice va = PacketSocketDevice.open("va"); PacketSocketDevice vb = PacketSocketDevice.open("vb")) {
            System.out.println("opened " + va.interfaceName() + " mac " + va.macAddress() + " mtu " + va.mtu()
                    + ", " + vb.interfaceName() + " mtu " + vb.mtu());
            exchange(va, vb, "one-" + args[0]);
            exchange(vb, va, "two-" + args[0]);
            // A flood vb does not read: its receive queue fills, and the kernel counts what it drops.
            ByteBuffer frame = ByteBuffer.allocate(60);
            for (int i = 0; i < FLOOD; i++) {
                frame.clear();
                va.transmit(frame);
            }
            PacketStatistics first = vb.statistics();
            PacketStatistics again = vb.statistics();
            System.out.println("flood dropped some " + (first.dropped() > 0) + ", all counted "
                    + (first.received() + first.dropped() >= FLOOD) + ", totals kept " + again.equals(first));
        }
        System.out.println("done");
    }

    private static void exchange(PacketSocketDevice from, PacketSocketDevice to, String nonce) throws InterruptedException {
        ByteBuffer frame = ByteBuffer.allocate(64);
        frame.put(to.macAddress().toBytes()).put(from.macAddress().toBytes()).putShort((short) ETHERTYPE_EXPERIMENTAL);
        frame.put(nonce.getBytes(StandardCharsets.US_ASCII)).position(60).flip();
        from.transmit(frame);

        String seen = await(to, nonce, Duration.ofSeconds(5));
        System.out.println(to.interfaceName() + (seen == null ? " did not receive " + nonce : " received " + seen));
        String echo = await(from, nonce, Duration.ofMillis(500));
        System.out.println(from.interfaceName() + (echo == null ? " did not see its own frame" : " saw its own frame"));
    }

    /** Gives va its MAC and brings both ends up, as the other probes start. */
    static SystemLinks bringUpPair() throws InterruptedException {
        SystemLinks links = SystemLinks.system();
        links.awaitInterface("va", Duration.ofSeconds(2));
        links.setHardwareAddress("va", VA_MAC);
        links.up("va");
        links.up("vb");
        return links;
    }

    static void awaitCarrier(String link, Duration timeout) throws Exception {
        Path carrier = Path.of("/sys/class/net", link, "carrier");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(carrier).strip().equals("1")) {
            if (System.nanoTime() > deadline) {
                System.out.println(link + " has no carrier after " + timeout);
                return;
            }
            Thread.sleep(10);
        }
    }

    /** The first frame on {@code device} carrying {@code nonce} within {@code timeout}, as "nonce from mac". */
    private static String await(PacketSocketDevice device, String nonce, Duration timeout) throws InterruptedException {
        ByteBuffer frame = ByteBuffer.allocate(device.mtu() + 18);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            device.awaitFrame(Duration.ofMillis(100));
            while (device.receive(frame)) {
                if (frame.limit() >= 14 + nonce.length() && (frame.getShort(12) & 0xFFFF) == ETHERTYPE_EXPERIMENTAL) {
                    byte[] payload = new byte[nonce.length()];
                    frame.get(14, payload);
                    byte[] source = new byte[6];
                    frame.get(6, source);
                    if (new String(payload, StandardCharsets.US_ASCII).equals(nonce)) {
                        return nonce + " from " + MacAddress.of(source) + " length " + frame.limit();
                    }
                }
                frame.clear();
            }
        }
        return null;
    }
}
