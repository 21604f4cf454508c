package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.OptionalInt;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.PacketMessage;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SockaddrLl;
import morgana.kernel.sys.SystemCallException;
import morgana.netstack.wire.MacAddress;

/**
 * Raw Ethernet frames on one NIC through an AF_PACKET socket (packet(7)): every frame the NIC receives,
 * whatever its protocol, and every frame we write goes out as is. The Linux kernel keeps no address on the
 * interface, so it answers nothing itself and all of IP is ours.
 *
 * <p>Opened with offload, the socket carries a virtio-net header before each frame ({@code PACKET_VNET_HDR},
 * packet(7)), as a TAP with {@code IFF_VNET_HDR} does: we hand the kernel TCP segments of up to 64 KiB to cut
 * (in software, or by the NIC's TSO), leave TCP checksums to it, and take the segments GRO merged whole, so
 * GRO may stay on. Without it (a kernel that refuses the option, or on request) frames are plain and one
 * MTU each, and a partial checksum is learnt from {@code PACKET_AUXDATA} and completed here.
 *
 * <p>In {@link PacketSocketMode#RING} frames are read from a TPACKET_V3 ring the kernel fills ({@link ReceiveRing}),
 * with the virtio-net header as above (Linux writes it into the ring too); a kernel that refuses the ring gets
 * the header's socket instead ({@link #ringRefused} says why). Frames are written with write(2) in every mode.
 */
public final class PacketSocketDevice extends DescriptorDevice {

    private static final Advice NET_RAW = Advice.needs("root or CAP_NET_RAW")
            .or(Advice.of(Map.of(Errno.EAFNOSUPPORT, "the kernel has no AF_PACKET (CONFIG_PACKET)")));

    private final String interfaceName;
    private final int interfaceIndex;
    private final MacAddress macAddress;
    /** PACKET_STATISTICS (linux/if_packet.h). */
    static final int PACKET_STATISTICS = 6;
    /** PACKET_VNET_HDR (linux/if_packet.h): a struct virtio_net_hdr before every frame read and written. */
    static final int PACKET_VNET_HDR = 15;

    private PacketMessage message; // made on the first read, around the receive buffer it fills
    private final ReceiveRing ring; // null unless frames are read from a ring
    private final String ringRefused; // why a ring asked for was not had, or null
    private long checksumsCompleted;
    private PacketStatistics statistics = new PacketStatistics(0, 0);

    private PacketSocketDevice(Posix posix, int fd, String interfaceName, int interfaceIndex, int mtu,
            MacAddress macAddress, boolean vnetHeader, ReceiveRing ring, String ringRefused) {
        super(posix, fd, "packet socket on " + interfaceName, mtu, vnetHeader);
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.macAddress = macAddress;
        this.ring = ring;
        this.ringRefused = ringRefused;
    }

    /**
     * Opens a non-blocking packet socket bound to {@code interfaceName}, which must exist, with offload when
     * the kernel has it ({@link #takesMergedSegments} says).
     */
    public static PacketSocketDevice open(String interfaceName) {
        return open(interfaceName, true);
    }

    /** As {@link #open(String)}; without {@code offload}, frames are plain and every segment fits the MTU. */
    public static PacketSocketDevice open(String interfaceName, boolean offload) {
        return open(interfaceName, offload ? PacketSocketMode.VNET : PacketSocketMode.PLAIN);
    }

    /**
     * As {@link #open(String)}, reading and writing as {@code mode} says; {@link PacketSocketMode#RING} falls back
     * to {@link PacketSocketMode#VNET} when the kernel refuses the ring.
     */
    public static PacketSocketDevice open(String interfaceName, PacketSocketMode mode) {
        return open(Posix.system(), new SystemLinks(Posix.system()), interfaceName, mode);
    }

    static PacketSocketDevice open(Posix posix, Links links, String interfaceName, PacketSocketMode mode) {
        return open(posix, links, interfaceName, mode != PacketSocketMode.PLAIN, mode == PacketSocketMode.RING);
    }

    /** A ring with or without the virtio-net header (whose absence no mode asks for: tests do). */
    static PacketSocketDevice openRing(String interfaceName, boolean offload) {
        return open(Posix.system(), new SystemLinks(Posix.system()), interfaceName, offload, true);
    }

    private static PacketSocketDevice open(Posix posix, Links links, String interfaceName, boolean offload,
            boolean ring) {
        OptionalInt index = posix.interfaceIndex(interfaceName);
        if (index.isEmpty()) {
            throw new InterfaceNotFoundException(interfaceName, java.time.Duration.ZERO);
        }
        int mtu = links.mtu(interfaceName);
        MacAddress mac = links.hardwareAddress(interfaceName);
        try {
            return open(posix, interfaceName, index.getAsInt(), mtu, mac, offload, ring, null);
        } catch (RingRefused refused) {
            // That socket is closed; one reading frame by frame is the next best.
            return open(posix, interfaceName, index.getAsInt(), mtu, mac, offload, false,
                    refused.getCause().getMessage());
        }
    }

    /** The kernel refused the ring: told apart from the socket's own failures, which every mode would meet. */
    private static final class RingRefused extends RuntimeException {
        RingRefused(SystemCallException cause) {
            super(cause);
        }
    }

    private static PacketSocketDevice open(Posix posix, String interfaceName, int index, int mtu, MacAddress mac,
            boolean offload, boolean withRing, String ringRefused) {
        // Protocol 0 receives nothing until bind names both the protocol and the interface; opening with
        // ETH_P_ALL would queue frames from every interface in between (packet(7)). The ring is set up before
        // bind, so that no frame is ever queued outside it (poll would find it and never sleep).
        boolean vnetHeader;
        ReceiveRing ring = null;
        int fd = posix.socket(Posix.AF_PACKET, Posix.SOCK_RAW | Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, 0,
                "socket AF_PACKET", NET_RAW);
        try {
            vnetHeader = offload && vnetHeader(posix, fd);
            if (!vnetHeader && !withRing) {
                posix.setIntOption(fd, SockaddrLl.SOL_PACKET, PacketMessage.PACKET_AUXDATA, 1, "PACKET_AUXDATA",
                        Advice.NONE);
            }
            try {
                // Our own frames would otherwise come back to us; readFrame filters them too (before Linux 4.20).
                posix.setIntOption(fd, SockaddrLl.SOL_PACKET, SockaddrLl.PACKET_IGNORE_OUTGOING, 1,
                        "PACKET_IGNORE_OUTGOING", Advice.NONE);
            } catch (SystemCallException tooOld) {
                // ENOPROTOOPT: readFrame's filter is enough.
            }
            if (withRing) {
                try {
                    ring = ReceiveRing.attach(posix, fd, "packet socket on " + interfaceName);
                } catch (SystemCallException refused) {
                    throw new RingRefused(refused);
                }
            }
            posix.bind(fd, SockaddrLl.forBind(index, SockaddrLl.ETH_P_ALL),
                    "bind packet socket to " + interfaceName, Advice.of(Map.of(
                            Errno.ENODEV, interfaceName + " went away", Errno.ENETDOWN, interfaceName + " is down")));
        } catch (SystemCallException | RingRefused e) {
            if (ring != null) {
                ring.close();
            }
            posix.close(fd, "packet socket");
            throw e;
        }
        return new PacketSocketDevice(posix, fd, interfaceName, index, mtu, mac, vnetHeader, ring, ringRefused);
    }

    /** Turns PACKET_VNET_HDR on; false when the kernel has no such option (before Linux 3.13: ENOPROTOOPT). */
    private static boolean vnetHeader(Posix posix, int fd) {
        try {
            posix.setIntOption(fd, SockaddrLl.SOL_PACKET, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR", Advice.NONE);
            return true;
        } catch (SystemCallException refused) {
            if (!refused.is(Errno.ENOPROTOOPT)) {
                throw refused;
            }
            return false;
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** The NIC's Ethernet address when the socket was opened (SIOCGIFHWADDR). */
    public MacAddress macAddress() {
        return macAddress;
    }

    /** Whether frames are read from a TPACKET_V3 ring ({@link PacketSocketMode#RING}, and the kernel had it). */
    public boolean readsFromRing() {
        return ring != null;
    }

    /** Why the ring asked for was not set up (the device then reads as {@link PacketSocketMode#VNET}), if it was not. */
    public java.util.Optional<String> ringRefused() {
        return java.util.Optional.ofNullable(ringRefused);
    }

    /** Frames whose transport checksum Linux left partial and this device completed. */
    public long checksumsCompleted() {
        return checksumsCompleted;
    }

    /**
     * The kernel's counts for this socket since it was opened. The kernel resets its {@code struct tpacket_stats}
     * at each read (and counts the drops in the received frames too), so they are summed here.
     */
    public synchronized PacketStatistics statistics() {
        ByteBuffer stats = Posix.nativeBuffer(8); // struct tpacket_stats { unsigned tp_packets, tp_drops; }
        posix.getOption(fd, SockaddrLl.SOL_PACKET, PACKET_STATISTICS, stats, "PACKET_STATISTICS", Advice.NONE);
        long packets = Integer.toUnsignedLong(stats.getInt(0));
        long drops = Integer.toUnsignedLong(stats.getInt(4));
        statistics = statistics.plus(packets - drops, drops);
        return statistics;
    }

    @Override
    int readFrame(ByteBuffer rx) {
        if (ring != null) {
            return readFromRing(rx);
        }
        if (message == null) {
            message = new PacketMessage(posix, rx);
        }
        while (true) {
            message.reset();
            int n = posix.receiveMessage(fd, message, description);
            if (n == Posix.WOULD_BLOCK) {
                return n;
            }
            if (message.packetType() == SockaddrLl.PACKET_OUTGOING) {
                continue; // our own frame coming back (before Linux 4.20)
            }
            if (message.truncated()) {
                countDroppedOnReceive(); // larger than any MTU or merged segment
                continue;
            }
            // With a virtio-net header, its NEEDS_CSUM says the same and the stack or read() acts on it.
            if (!takesMergedSegments() && message.checksumNotReady() && PartialChecksum.complete(rx, n)) {
                checksumsCompleted++;
            }
            rx.position(n);
            return n;
        }
    }

    private int readFromRing(ByteBuffer rx) {
        boolean header = takesMergedSegments();
        while (true) {
            int n = ring.next(rx, header ? VirtioNetHeader.LENGTH : 0);
            if (n == ReceiveRing.TRUNCATED) {
                countDroppedOnReceive();
                continue;
            }
            if (n != Posix.WOULD_BLOCK && !header && ring.checksumNotReady() && PartialChecksum.complete(rx, n)) {
                checksumsCompleted++;
            }
            return n;
        }
    }

    /** The ring's address while mapped, for tests; 0 without a ring. */
    long ringAddress() {
        return ring == null ? 0 : ring.address();
    }

    /** Blocks of the ring that held frames, read so far; 0 without a ring. */
    long ringBlocksRead() {
        return ring == null ? 0 : ring.blocksRead();
    }

    /** Unmaps the ring, then closes the socket. */
    @Override
    public void close() {
        if (isOpen()) {
            try {
                if (ring != null) {
                    ring.close();
                }
            } finally {
                super.close();
            }
        }
    }
}
