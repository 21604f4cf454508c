package morgana.netstack.wire;

import java.nio.ByteBuffer;

/** A view over an Ethernet II frame (IEEE 802.3 §3.2 with a type field); the FCS is not part of it. */
public final class EthernetFrame {

    public static final int HEADER_LEN = 14;

    private final ByteBuffer buf;

    private EthernetFrame(ByteBuffer buf) {
        this.buf = buf;
    }

    /** Views the bytes between position and limit; fails if they cannot hold the header. */
    public static EthernetFrame newChecked(ByteBuffer bytes) throws WireFormatException {
        if (bytes.remaining() < HEADER_LEN) {
            throw new WireFormatException(WireError.ETHERNET_TRUNCATED);
        }
        return new EthernetFrame(bytes.slice());
    }

    /** Views a buffer the caller sized for writing (position to limit). */
    public static EthernetFrame forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < HEADER_LEN) {
            throw new IllegalArgumentException("an Ethernet frame needs " + HEADER_LEN + " bytes, not " + bytes.remaining());
        }
        return new EthernetFrame(bytes.slice());
    }

    public int length() {
        return buf.limit();
    }

    public MacAddress destination() {
        return mac(0);
    }

    public MacAddress source() {
        return mac(6);
    }

    public int etherType() {
        return buf.getShort(12) & 0xFFFF;
    }

    /** The bytes after the header, as a new buffer sharing this frame's content. */
    public ByteBuffer payload() {
        return buf.slice(HEADER_LEN, buf.limit() - HEADER_LEN);
    }

    public void setDestination(MacAddress mac) {
        putMac(0, mac);
    }

    public void setSource(MacAddress mac) {
        putMac(6, mac);
    }

    public void setEtherType(int type) {
        buf.putShort(12, (short) type);
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
