package morgana.kernel.sys;

import java.nio.ByteBuffer;

/**
 * {@code struct sockaddr_ll} (linux/if_packet.h), 20 bytes: {@code unsigned short sll_family},
 * {@code __be16 sll_protocol}, {@code int sll_ifindex}, {@code unsigned short sll_hatype},
 * {@code unsigned char sll_pkttype}, {@code unsigned char sll_halen}, {@code unsigned char sll_addr[8]}.
 */
public final class SockaddrLl {

    public static final int SIZE = 20;
    public static final int ETH_P_ALL = 0x0003;
    /** sll_pkttype of a frame this host sent, which an ETH_P_ALL socket sees too (packet(7)). */
    public static final int PACKET_OUTGOING = 4;
    public static final int SOL_PACKET = 263;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    static final int PROTOCOL_OFFSET = 2;
    static final int IFINDEX_OFFSET = 4;
    static final int PKTTYPE_OFFSET = 10;

    private SockaddrLl() {
    }

    /** The address bind(2) takes to receive {@code protocol} frames (host order, e.g. ETH_P_ALL) on one interface. */
    public static ByteBuffer forBind(int interfaceIndex, int protocol) {
        ByteBuffer address = Posix.nativeBuffer(SIZE);
        address.putShort(0, (short) Posix.AF_PACKET);
        address.put(PROTOCOL_OFFSET, (byte) (protocol >>> 8)); // network order whatever the host's
        address.put(PROTOCOL_OFFSET + 1, (byte) protocol);
        address.putInt(IFINDEX_OFFSET, interfaceIndex);
        return address;
    }

    /** An empty address for recvfrom(2) to fill. */
    public static ByteBuffer forReceive() {
        return Posix.nativeBuffer(SIZE);
    }

    public static int packetType(ByteBuffer address) {
        return address.get(PKTTYPE_OFFSET) & 0xFF;
    }

    public static int interfaceIndex(ByteBuffer address) {
        return address.getInt(IFINDEX_OFFSET);
    }

    public static int protocol(ByteBuffer address) {
        return ((address.get(PROTOCOL_OFFSET) & 0xFF) << 8) | (address.get(PROTOCOL_OFFSET + 1) & 0xFF);
    }
}
