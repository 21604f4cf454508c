package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.util.Map;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.IfReq;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SystemCallException;

/**
 * A TAP interface on the developer's host (Documentation/networking/tuntap.rst): each read(2) of
 * /dev/net/tun is one Ethernet frame the host sent to the interface, each write(2) one frame from us. The
 * host's side of the interface (address, up) is configured with {@code ip} ({@link HostSide}).
 */
public final class TapDevice extends DescriptorDevice {

    public static final int DEFAULT_MTU = 1500;
    private static final String CLONE_DEVICE = "/dev/net/tun";

    private final String name;

    private TapDevice(Posix posix, int fd, String name, int mtu, boolean vnetHeader) {
        super(posix, fd, "tap " + name, mtu, vnetHeader);
        this.name = name;
    }

    /**
     * Opens (creating if needed) the TAP interface {@code name}, without packet information headers and with
     * a virtio-net header on each frame ({@code IFF_VNET_HDR}), so that the stack hands the kernel TCP
     * segments of up to 64 KiB to cut (TSO). An interface made by {@code ip tuntap add mode tap} is attached
     * to; a missing one is created and goes away when this device closes.
     */
    public static TapDevice open(String name) {
        return open(Posix.system(), name, true);
    }

    /** As {@link #open(String)}; without {@code offload}, frames are plain and every segment fits the MTU. */
    public static TapDevice open(String name, boolean offload) {
        return open(Posix.system(), name, offload);
    }

    static TapDevice open(Posix posix, String name) {
        return open(posix, name, false);
    }

    static TapDevice open(Posix posix, String name, boolean offload) {
        short flags = (short) (IfReq.IFF_TAP | IfReq.IFF_NO_PI | (offload ? IFF_VNET_HDR : 0));
        IfReq request = IfReq.named(name).flags(flags);
        int fd = posix.open(CLONE_DEVICE, Posix.O_RDWR | Posix.O_NONBLOCK | Posix.O_CLOEXEC, Advice.of(Map.of(
                Errno.EPERM, "needs root or CAP_NET_ADMIN",
                Errno.EACCES, "needs root or CAP_NET_ADMIN (or read-write access to /dev/net/tun)",
                Errno.ENOENT, "no TUN/TAP device node: load the tun module (modprobe tun) or create /dev/net/tun",
                Errno.ENODEV, "the kernel has no TUN/TAP support: load the tun module (modprobe tun)")));
        try {
            posix.ioctl(fd, IfReq.TUNSETIFF, request.buffer(), "TUNSETIFF " + name, Advice.of(Map.of(
                    Errno.EPERM, "needs root or CAP_NET_ADMIN, or a TAP made for this user (ip tuntap add "
                            + name + " mode tap user $USER)",
                    Errno.EBUSY, name + " is already open by another process (or is a TUN, not a TAP, device)",
                    Errno.EINVAL, name + " exists and is not a TAP device made with these flags")));
            if (offload) {
                // The host may hand us partial checksums (we complete them) and TCP segments it merged (GRO).
                posix.ioctlValue(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4, "TUNSETOFFLOAD " + name,
                        Advice.needs("CAP_NET_ADMIN"));
            }
        } catch (SystemCallException e) {
            posix.close(fd, CLONE_DEVICE);
            throw e;
        }
        return new TapDevice(posix, fd, request.name(), DEFAULT_MTU, offload);
    }

    /** IFF_VNET_HDR (linux/if_tun.h): each frame read or written starts with a struct virtio_net_hdr. */
    static final short IFF_VNET_HDR = 0x4000;
    /** TUNSETOFFLOAD, _IOW('T', 208, unsigned int): the offloads (TUN_F_*) the reader takes. */
    static final long TUNSETOFFLOAD = 0x400454D0L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;

    /** TUNSETPERSIST, _IOW('T', 203, int) (linux/if_tun.h). */
    static final long TUNSETPERSIST = 0x400454CBL;

    /**
     * A persistent TAP outlives this device: it stays, with its host-side addresses, after close (and after
     * this process), to be attached to again; turning persistence off makes close remove it.
     */
    public void setPersistent(boolean persistent) {
        posix.ioctlValue(fd, TUNSETPERSIST, persistent ? 1 : 0, "TUNSETPERSIST " + name, Advice.needs("CAP_NET_ADMIN"));
    }

    /** The interface's name as the kernel knows it. */
    public String name() {
        return name;
    }

    @Override
    int readFrame(ByteBuffer rx) {
        return posix.read(fd, rx, description);
    }
}
