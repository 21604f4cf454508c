package morgana.netstack.wire;

import java.nio.ByteBuffer;

/**
 * A view over an Ethernet II frame (IEEE 802.3 §3.2 with a type field); the FCS is not part of it. The view
 * reads the buffer it was given in place (absolute indexes from the frame's first byte; the buffer's position
 * and limit are not used after), and one view can be {@linkplain #rebind rebound} to frame after frame, so
 * that receiving allocates nothing per frame.
 */
public final class EthernetFrame {

    public static final int HEADER_LEN = 14;

    private ByteBuffer buf;
    private int offset;
    private int length;

    private EthernetFrame() {
    }

    /** A view bound to nothing yet, for {@link #rebind}. */
    public static EthernetFrame unbound() {
        return new EthernetFrame();
    }

    /** Views the bytes between position and limit; fails if they cannot hold the header. */
    public static EthernetFrame newChecked(ByteBuffer bytes) throws WireFormatException {
        return new EthernetFrame().rebind(bytes);
    }

    /** This view, now over the bytes between position and limit of {@code bytes}; checked as {@link #newChecked}. */
    public EthernetFrame rebind(ByteBuffer bytes) throws WireFormatException {
        if (bytes.remaining() < HEADER_LEN) {
            throw new WireFormatException(WireError.ETHERNET_TRUNCATED);
        }
        bind(bytes);
        return this;
    }

    private void bind(ByteBuffer bytes) {
        buf = bytes;
        offset = bytes.position();
        length = bytes.remaining();
    }

    /** Views a buffer the caller sized for writing (position to limit). */
    public static EthernetFrame forWriting(ByteBuffer bytes) {
        if (bytes.remaining() < HEADER_LEN) {
            throw new IllegalArgumentException("an Ethernet frame needs " + HEADER_LEN + " bytes, not " + bytes.remaining());
        }
        EthernetFrame frame = new EthernetFrame();
        frame.bind(bytes);
        return frame;
    }

    public int length() {
        return length;
    }

    /** The buffer the frame is in, and where: for the view of the packet it carries ({@link Ipv4Packet#rebind}). */
    ByteBuffer buffer() {
        return buf;
    }

    int offset() {
        return offset;
    }

    public MacAddress destination() {
        return mac(0);
    }

    public MacAddress source() {
        return mac(6);
    }

    /** The destination address as {@link MacAddress#bits()}, for comparing without an object. */
    public long destinationBits() {
        return macBits(0);
    }

    /** The source address as {@link MacAddress#bits()}. */
    public long sourceBits() {
        return macBits(6);
    }

    public int etherType() {
        return buf.getShort(offset + 12) & 0xFFFF;
    }

    /** The bytes after the header, as a new buffer sharing this frame's content. */
    public ByteBuffer payload() {
        return buf.slice(offset + HEADER_LEN, length - HEADER_LEN);
    }

    public void setDestination(MacAddress mac) {
        putMac(0, mac);
    }

    public void setSource(MacAddress mac) {
        putMac(6, mac);
    }

    public void setEtherType(int type) {
        buf.putShort(offset + 12, (short) type);
    }

    /**
     * Writes an Ethernet header into the first {@link #HEADER_LEN} bytes from {@code frame}'s position (position
     * and limit untouched): what {@link EthernetRepr#emit} writes, without a view or a repr.
     */
    public static void writeHeader(ByteBuffer frame, MacAddress destination, MacAddress source, int etherType) {
        int at = frame.position();
        putMac(frame, at, destination);
        putMac(frame, at + 6, source);
        frame.put(at + 12, (byte) (etherType >>> 8)).put(at + 13, (byte) etherType);
    }

    private MacAddress mac(int at) {
        return new MacAddress(macBits(at));
    }

    private long macBits(int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf.get(offset + at + i) & 0xFF);
        }
        return v;
    }

    private void putMac(int at, MacAddress mac) {
        putMac(buf, offset + at, mac);
    }

    private static void putMac(ByteBuffer buf, int at, MacAddress mac) {
        for (int i = 0; i < 6; i++) {
            buf.put(at + i, (byte) (mac.bits() >>> (40 - 8 * i)));
        }
    }
}
