package morgana.kernel.device;

import java.util.Locale;
import java.util.Optional;

/** How a {@link PacketSocketDevice} reads and writes frames; named by {@code -Dmorgana.packet.mode}. */
public enum PacketSocketMode {
    /** recvmsg(2) and write(2), one MTU-sized frame each; partial checksums completed here. */
    PLAIN("plain"),
    /** As plain, with a virtio-net header on every frame (PACKET_VNET_HDR): segmentation and checksum offload. */
    VNET("vnet"),
    /**
     * Frames received through a TPACKET_V3 ring shared with the kernel (no system call per frame), with the
     * virtio-net header as in {@link #VNET} when the kernel has it; sent with write(2) as the others.
     */
    RING("ring");

    private final String property;

    PacketSocketMode(String property) {
        this.property = property;
    }

    /** The value of {@code -Dmorgana.packet.mode} that names this mode. */
    public String property() {
        return property;
    }

    /** The mode {@code value} names ({@code plain}, {@code vnet}, {@code ring}, in any case), or empty. */
    public static Optional<PacketSocketMode> named(String value) {
        for (PacketSocketMode mode : values()) {
            if (mode.property.equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
