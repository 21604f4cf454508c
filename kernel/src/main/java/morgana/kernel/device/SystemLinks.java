package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.IfReq;
import morgana.kernel.sys.Posix;
import morgana.netstack.wire.MacAddress;

/**
 * {@link Links} through netdevice(7) ioctls on a datagram socket, the way {@code ip link} did before
 * netlink. Each call opens and closes its own control socket, so the instance holds no descriptor.
 */
public final class SystemLinks implements Links {

    private static final Advice NET_ADMIN = Advice.needs("root or CAP_NET_ADMIN")
            .or(Advice.of(Map.of(Errno.ENODEV, "no such network interface")));
    private static final long POLL_INTERVAL_MILLIS = 20;

    private final Posix posix;

    public SystemLinks(Posix posix) {
        this.posix = posix;
    }

    public static SystemLinks system() {
        return new SystemLinks(Posix.system());
    }

    @Override
    public int awaitInterface(String name, Duration timeout) throws InterruptedException {
        IfReq.named(name); // rejects a malformed name now rather than after the timeout
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OptionalInt index = posix.interfaceIndex(name);
            if (index.isPresent()) {
                return index.getAsInt();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new InterfaceNotFoundException(name, timeout);
            }
            Thread.sleep(Math.min(POLL_INTERVAL_MILLIS, Math.max(1, left / 1_000_000)));
        }
    }

    @Override
    public void up(String name) {
        IfReq request = IfReq.named(name);
        withControlSocket(fd -> {
            posix.ioctl(fd, IfReq.SIOCGIFFLAGS, request.buffer(), "SIOCGIFFLAGS " + name, NET_ADMIN);
            request.flags((short) (request.flags() | IfReq.IFF_UP));
            posix.ioctl(fd, IfReq.SIOCSIFFLAGS, request.buffer(), "set " + name + " up", NET_ADMIN);
        });
    }

    @Override
    public boolean isUp(String name) {
        IfReq request = IfReq.named(name);
        withControlSocket(fd -> posix.ioctl(fd, IfReq.SIOCGIFFLAGS, request.buffer(), "SIOCGIFFLAGS " + name,
                NET_ADMIN));
        return (request.flags() & IfReq.IFF_UP) != 0;
    }

    @Override
    public int mtu(String name) {
        IfReq request = IfReq.named(name);
        withControlSocket(fd -> posix.ioctl(fd, IfReq.SIOCGIFMTU, request.buffer(), "SIOCGIFMTU " + name,
                NET_ADMIN));
        return request.intValue();
    }

    @Override
    public void setMtu(String name, int mtu) {
        IfReq request = IfReq.named(name).intValue(mtu);
        withControlSocket(fd -> posix.ioctl(fd, IfReq.SIOCSIFMTU, request.buffer(), "set MTU " + mtu + " on " + name,
                NET_ADMIN.or(Advice.of(Map.of(Errno.EINVAL, "the driver does not take that MTU")))));
    }

    @Override
    public MacAddress hardwareAddress(String name) {
        IfReq request = IfReq.named(name);
        withControlSocket(fd -> posix.ioctl(fd, IfReq.SIOCGIFHWADDR, request.buffer(), "SIOCGIFHWADDR " + name,
                NET_ADMIN));
        if (request.hardwareFamily() != IfReq.ARPHRD_ETHER) {
            throw new IllegalStateException(name + " is not an Ethernet interface (ARPHRD "
                    + request.hardwareFamily() + ")");
        }
        return MacAddress.of(request.hardwareAddress());
    }

    @Override
    public void setHardwareAddress(String name, MacAddress mac) {
        IfReq request = IfReq.named(name).hardwareAddress(mac.toBytes());
        withControlSocket(fd -> posix.ioctl(fd, IfReq.SIOCSIFHWADDR, request.buffer(),
                "set hardware address " + mac + " on " + name, NET_ADMIN.or(Advice.of(Map.of(
                        Errno.EBUSY, "the link is up: set the address before bringing it up",
                        Errno.EADDRNOTAVAIL, "not a usable unicast address",
                        Errno.EOPNOTSUPP, "the driver cannot change its address")))));
    }

    // linux/ethtool.h: struct ethtool_value { __u32 cmd; __u32 data; }
    private static final int ETHTOOL_GGRO = 0x2B;
    private static final int ETHTOOL_SGRO = 0x2C;

    @Override
    public boolean genericReceiveOffload(String name) {
        return ethtoolValue(name, ETHTOOL_GGRO, 0, "read GRO of " + name) != 0;
    }

    @Override
    public void setGenericReceiveOffload(String name, boolean on) {
        ethtoolValue(name, ETHTOOL_SGRO, on ? 1 : 0, "turn GRO " + (on ? "on" : "off") + " on " + name);
    }

    /** One ethtool_value command (SIOCETHTOOL); package-private so that device tests can set other offloads. */
    int ethtoolValue(String name, int command, int data, String what) {
        ByteBuffer value = Posix.nativeBuffer(8);
        value.putInt(0, command).putInt(4, data);
        IfReq request = IfReq.named(name).data(posix.address(value));
        withControlSocket(fd -> posix.ioctl(fd, IfReq.SIOCETHTOOL, request.buffer(), what,
                NET_ADMIN.or(Advice.of(Map.of(Errno.EOPNOTSUPP, "the driver has no such setting")))));
        java.lang.ref.Reference.reachabilityFence(value);
        return value.getInt(4);
    }

    private interface ControlCall {
        void run(int fd);
    }

    private void withControlSocket(ControlCall call) {
        int fd = posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.SOCK_CLOEXEC, 0, "control socket",
                Advice.of(Map.of(Errno.EAFNOSUPPORT, "the kernel has no IPv4 (CONFIG_INET), which netdevice ioctls use")));
        try {
            call.run(fd);
        } finally {
            posix.close(fd, "control socket");
        }
    }
}
