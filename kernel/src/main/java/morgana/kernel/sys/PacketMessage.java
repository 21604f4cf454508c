package morgana.kernel.sys;

import java.nio.ByteBuffer;

/**
 * One reusable {@code struct msghdr} (sys/socket.h, x86_64) for recvmsg(2) on a packet socket: one iovec
 * over the caller's frame buffer, a {@code sockaddr_ll} for the source, and room for the
 * {@code PACKET_AUXDATA} control message, whose {@code tp_status} says whether Linux left the frame's
 * transport checksum to be completed (packet(7)).
 *
 * <pre>
 * msghdr:  0 msg_name  8 msg_namelen  16 msg_iov  24 msg_iovlen  32 msg_control  40 msg_controllen  48 msg_flags
 * iovec:   0 iov_base  8 iov_len
 * cmsghdr: 0 cmsg_len  8 cmsg_level  12 cmsg_type  16 data (tpacket_auxdata: 0 tp_status, ...)
 * </pre>
 *
 * Its buffers are direct and referenced from here, so the addresses stay valid while the message lives.
 */
public final class PacketMessage {

    public static final int PACKET_AUXDATA = 8;
    /** tp_status bit: the checksum is partial (CHECKSUM_PARTIAL), to be completed by whoever reads the frame. */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    static final int HEADER_SIZE = 56;
    static final int CMSG_HEADER_SIZE = 16;
    private static final int CONTROL_SIZE = 128;
    private static final int MSG_TRUNC = 0x20;

    private final ByteBuffer header = Posix.nativeBuffer(HEADER_SIZE);
    private final ByteBuffer iovec = Posix.nativeBuffer(16);
    private final ByteBuffer source = SockaddrLl.forReceive();
    private final ByteBuffer control = Posix.nativeBuffer(CONTROL_SIZE);
    private final ByteBuffer frame;

    public PacketMessage(Posix posix, ByteBuffer frame) {
        if (!frame.isDirect()) {
            throw new IllegalArgumentException("recvmsg fills direct buffers only");
        }
        this.frame = frame;
        iovec.putLong(0, posix.address(frame)).putLong(8, frame.capacity());
        header.putLong(0, posix.address(source));
        header.putLong(16, posix.address(iovec)).putLong(24, 1);
        header.putLong(32, posix.address(control));
        reset();
    }

    /** Restores the lengths recvmsg(2) overwrites; call before each receive. */
    public void reset() {
        header.putInt(8, SockaddrLl.SIZE);
        header.putLong(40, CONTROL_SIZE);
        header.putInt(48, 0);
        control.clear();
        control.putLong(0, 0);
    }

    ByteBuffer header() {
        return header;
    }

    /** The frame buffer the message fills, from index 0. */
    public ByteBuffer frame() {
        return frame;
    }

    /** sll_pkttype of the last frame received. */
    public int packetType() {
        return SockaddrLl.packetType(source);
    }

    /** True when the frame was longer than the buffer and cut (MSG_TRUNC). */
    public boolean truncated() {
        return (header.getInt(48) & MSG_TRUNC) != 0;
    }

    /** tp_status from the PACKET_AUXDATA control message, or 0 when there was none. */
    public int status() {
        long length = Math.min(header.getLong(40), CONTROL_SIZE);
        int offset = 0;
        while (offset + CMSG_HEADER_SIZE <= length) {
            long cmsgLength = control.getLong(offset);
            if (cmsgLength < CMSG_HEADER_SIZE) {
                return 0;
            }
            if (control.getInt(offset + 8) == SockaddrLl.SOL_PACKET && control.getInt(offset + 12) == PACKET_AUXDATA
                    && offset + CMSG_HEADER_SIZE + 4 <= length) {
                return control.getInt(offset + CMSG_HEADER_SIZE);
            }
            offset += (int) ((cmsgLength + 7) & ~7L); // CMSG_ALIGN
        }
        return 0;
    }

    public boolean checksumNotReady() {
        return (status() & TP_STATUS_CSUMNOTREADY) != 0;
    }
}
