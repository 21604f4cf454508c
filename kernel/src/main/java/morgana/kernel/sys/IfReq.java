package morgana.kernel.sys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} (linux/if.h) on x86_64: a 16-byte, NUL-terminated interface name, then a 24-byte
 * union of which Morgana uses {@code short ifr_flags}, {@code int ifr_mtu}/{@code ifr_ifindex} and
 * {@code struct sockaddr ifr_hwaddr} (family, then the address in {@code sa_data}). 40 bytes in all.
 */
public final class IfReq {

    public static final int SIZE = 40;
    public static final int NAME_SIZE = 16; // IFNAMSIZ, with the terminating NUL
    static final int UNION_OFFSET = 16;
    static final int HWADDR_DATA_OFFSET = UNION_OFFSET + 2;

    // linux/if_tun.h, linux/sockios.h, linux/if.h, linux/if_arp.h
    public static final long TUNSETIFF = 0x400454CAL; // _IOW('T', 202, int)
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCSIFMTU = 0x8922;
    public static final long SIOCSIFHWADDR = 0x8924;
    public static final long SIOCGIFHWADDR = 0x8927;
    public static final long SIOCGIFINDEX = 0x8933;
    public static final long SIOCETHTOOL = 0x8946;
    public static final short IFF_UP = 0x1;
    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NO_PI = 0x1000;
    public static final short ARPHRD_ETHER = 1;

    private final ByteBuffer buffer = Posix.nativeBuffer(SIZE);

    private IfReq(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= NAME_SIZE || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)
                || name.contains("/") || name.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException(
                    "not an interface name (1 to 15 ASCII characters, no '/' or spaces): \"" + name + "\"");
        }
        buffer.put(0, bytes);
    }

    /** A request about the interface {@code name}, with the union zeroed. */
    public static IfReq named(String name) {
        return new IfReq(name);
    }

    /** The name field, up to its first NUL (the kernel writes back the name it chose for TUNSETIFF). */
    public String name() {
        int length = 0;
        while (length < NAME_SIZE && buffer.get(length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    public short flags() {
        return buffer.getShort(UNION_OFFSET);
    }

    public IfReq flags(short flags) {
        buffer.putShort(UNION_OFFSET, flags);
        return this;
    }

    /** {@code ifr_mtu} and {@code ifr_ifindex} share the union's first int. */
    public int intValue() {
        return buffer.getInt(UNION_OFFSET);
    }

    public IfReq intValue(int value) {
        buffer.putInt(UNION_OFFSET, value);
        return this;
    }

    public short hardwareFamily() {
        return buffer.getShort(UNION_OFFSET);
    }

    public byte[] hardwareAddress() {
        byte[] six = new byte[6];
        buffer.get(HWADDR_DATA_OFFSET, six);
        return six;
    }

    public IfReq hardwareAddress(byte[] six) {
        if (six.length != 6) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes, not " + six.length);
        }
        buffer.putShort(UNION_OFFSET, ARPHRD_ETHER);
        buffer.put(HWADDR_DATA_OFFSET, six);
        return this;
    }

    /** {@code ifr_data}: a pointer, for requests such as SIOCETHTOOL whose argument lives elsewhere. */
    public IfReq data(long address) {
        buffer.putLong(UNION_OFFSET, address);
        return this;
    }

    public long data() {
        return buffer.getLong(UNION_OFFSET);
    }

    /** The 40 bytes, in native order, for ioctl(2). */
    public ByteBuffer buffer() {
        return buffer;
    }
}
