package morgana.netstack.wire;

import java.nio.ByteBuffer;

/**
 * A view over a BOOTP/DHCP message (RFC 2131 §2, Figure 1): the fixed 236-byte BOOTP part, the magic cookie
 * (RFC 2131 §3) and the options area (RFC 2132).
 */
public final class DhcpPacket {

    /** op through file, before the magic cookie. */
    public static final int FIXED_LEN = 236;
    public static final int OPTIONS_OFFSET = FIXED_LEN + 4;
    /** 99.130.83.99 (RFC 2131 §3). */
    public static final int MAGIC_COOKIE = 0x63825363;
    /** BOOTP relays and old servers expect at least this many bytes (RFC 1542 §2.1). */
    public static final int MIN_LEN = 300;

    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    static final int FLAG_BROADCAST = 0x8000;

    private final ByteBuffer buf;

    private DhcpPacket(ByteBuffer buf) {
        this.buf = buf;
    }

    /** Checks that the fixed part and the cookie fit, so every accessor below is safe. */
    public static DhcpPacket newChecked(ByteBuffer bytes) throws WireFormatException {
        ByteBuffer b = bytes.slice();
        if (b.limit() < OPTIONS_OFFSET) {
            throw new WireFormatException(WireError.DHCP_MALFORMED);
        }
        return new DhcpPacket(b);
    }

    public static DhcpPacket forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < OPTIONS_OFFSET) {
            throw new IllegalArgumentException("a DHCP message needs " + OPTIONS_OFFSET + " bytes");
        }
        return new DhcpPacket(bytes.slice());
    }

    public int op() {
        return buf.get(0) & 0xFF;
    }

    public int hardwareType() {
        return buf.get(1) & 0xFF;
    }

    public int hardwareLength() {
        return buf.get(2) & 0xFF;
    }

    public int hops() {
        return buf.get(3) & 0xFF;
    }

    public int xid() {
        return buf.getInt(4);
    }

    public int secs() {
        return buf.getShort(8) & 0xFFFF;
    }

    public boolean broadcast() {
        return (buf.getShort(10) & FLAG_BROADCAST) != 0;
    }

    public Ipv4Address clientIp() {
        return new Ipv4Address(buf.getInt(12));
    }

    public Ipv4Address yourIp() {
        return new Ipv4Address(buf.getInt(16));
    }

    public Ipv4Address serverIp() {
        return new Ipv4Address(buf.getInt(20));
    }

    public Ipv4Address relayIp() {
        return new Ipv4Address(buf.getInt(24));
    }

    /** The first six bytes of chaddr (an Ethernet address when htype is 1 and hlen 6). */
    public MacAddress clientMac() {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf.get(28 + i) & 0xFF);
        }
        return new MacAddress(v);
    }

    public int magicCookie() {
        return buf.getInt(FIXED_LEN);
    }

    /** The options area, from after the cookie to the end. */
    public ByteBuffer options() {
        return buf.slice(OPTIONS_OFFSET, buf.limit() - OPTIONS_OFFSET);
    }

    void writeFixed(int op, int xid, int secs, boolean broadcast, Ipv4Address ciaddr, Ipv4Address yiaddr,
                    Ipv4Address siaddr, Ipv4Address giaddr, MacAddress chaddr) {
        for (int i = 0; i < OPTIONS_OFFSET; i++) {
            buf.put(i, (byte) 0);
        }
        buf.put(0, (byte) op);
        buf.put(1, (byte) 1); // Ethernet (RFC 1700 "Hardware Type")
        buf.put(2, (byte) 6);
        buf.putInt(4, xid);
        buf.putShort(8, (short) secs);
        buf.putShort(10, (short) (broadcast ? FLAG_BROADCAST : 0));
        buf.putInt(12, ciaddr.bits());
        buf.putInt(16, yiaddr.bits());
        buf.putInt(20, siaddr.bits());
        buf.putInt(24, giaddr.bits());
        byte[] mac = chaddr.toBytes();
        for (int i = 0; i < 6; i++) {
            buf.put(28 + i, mac[i]);
        }
        buf.putInt(FIXED_LEN, MAGIC_COOKIE);
    }

    void put(int index, int value) {
        buf.put(index, (byte) value);
    }

    void putInt(int index, int value) {
        buf.putInt(index, value);
    }

    int length() {
        return buf.limit();
    }
}
