package morgana.netstack.wire;

import java.nio.ByteBuffer;

/** A view over an ARP packet (RFC 826). Address fields are read at the offsets its length fields give. */
public final class ArpPacket {

    /** The fixed part: hardware type, protocol type, the two lengths and the operation. */
    public static final int FIXED_LEN = 8;
    /** The length of an Ethernet/IPv4 ARP packet. */
    public static final int ETHERNET_IPV4_LEN = 28;

    private final ByteBuffer buf;

    private ArpPacket(ByteBuffer buf) {
        this.buf = buf;
    }

    public static ArpPacket newChecked(ByteBuffer bytes) throws WireFormatException {
        ByteBuffer b = bytes.slice();
        if (b.limit() < FIXED_LEN) {
            throw new WireFormatException(WireError.ARP_TRUNCATED);
        }
        ArpPacket p = new ArpPacket(b);
        // The accessors read 6-byte hardware and 4-byte protocol addresses at the offsets the lengths give, so
        // the packet must hold both, whatever the lengths say (a view whose accessors never fail).
        if (b.limit() < FIXED_LEN + 2 * Math.max(p.hardwareLength(), 6) + 2 * Math.max(p.protocolLength(), 4)) {
            throw new WireFormatException(WireError.ARP_TRUNCATED);
        }
        return p;
    }

    public static ArpPacket forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < ETHERNET_IPV4_LEN) {
            throw new IllegalArgumentException("an ARP packet needs " + ETHERNET_IPV4_LEN + " bytes");
        }
        return new ArpPacket(bytes.slice());
    }

    public int hardwareType() {
        return buf.getShort(0) & 0xFFFF;
    }

    public int protocolType() {
        return buf.getShort(2) & 0xFFFF;
    }

    public int hardwareLength() {
        return buf.get(4) & 0xFF;
    }

    public int protocolLength() {
        return buf.get(5) & 0xFF;
    }

    public int operation() {
        return buf.getShort(6) & 0xFFFF;
    }

    /** The sender hardware address; meaningful only when the hardware length is 6. */
    public MacAddress senderHardwareAddress() {
        return mac(FIXED_LEN);
    }

    public Ipv4Address senderProtocolAddress() {
        return new Ipv4Address(buf.getInt(FIXED_LEN + hardwareLength()));
    }

    public MacAddress targetHardwareAddress() {
        return mac(FIXED_LEN + hardwareLength() + protocolLength());
    }

    public Ipv4Address targetProtocolAddress() {
        return new Ipv4Address(buf.getInt(FIXED_LEN + 2 * hardwareLength() + protocolLength()));
    }

    void setFixed(int hardwareType, int protocolType, int operation) {
        buf.putShort(0, (short) hardwareType);
        buf.putShort(2, (short) protocolType);
        buf.put(4, (byte) 6);
        buf.put(5, (byte) 4);
        buf.putShort(6, (short) operation);
    }

    void setAddresses(MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
        putMac(8, senderMac);
        buf.putInt(14, senderIp.bits());
        putMac(18, targetMac);
        buf.putInt(24, targetIp.bits());
    }

    private MacAddress mac(int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf.get(at + i) & 0xFF);
        }
        return new MacAddress(v);
    }

    private void putMac(int at, MacAddress mac) {
        for (int i = 0; i < 6; i++) {
            buf.put(at + i, (byte) (mac.bits() >>> (40 - 8 * i)));
        }
    }
}
