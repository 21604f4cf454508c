package morgana.kernel.sys;

import java.nio.ByteBuffer;

/**
 * The byte layouts of a TPACKET_V3 receive ring on a packet socket (linux/if_packet.h; the kernel's
 * Documentation/networking/packet_mmap.rst). The ring is {@code tp_block_nr} blocks of {@code tp_block_size}
 * bytes; each block starts with a {@code struct tpacket_block_desc} and holds frames of any length one after
 * another, each a {@code struct tpacket3_hdr}, a {@code struct sockaddr_ll} and the frame itself:
 *
 * <pre>
 * tpacket_block_desc:  0 version  4 offset_to_priv  8 block_status  12 num_pkts  16 offset_to_first_pkt
 *                      20 blk_len  24 seq_num  32 ts_first_pkt  40 ts_last_pkt              (48 bytes)
 * tpacket3_hdr:        0 tp_next_offset  4 tp_sec  8 tp_nsec  12 tp_snaplen  16 tp_len  20 tp_status
 *                      24 tp_mac (u16)  26 tp_net (u16)  28 hv1  40 padding                  (48 bytes)
 *                      48 sockaddr_ll (its sll_pkttype at 58)
 * tpacket_req3:        0 tp_block_size  4 tp_block_nr  8 tp_frame_size  12 tp_frame_nr
 *                      16 tp_retire_blk_tov  20 tp_sizeof_priv  24 tp_feature_req_word      (28 bytes)
 * </pre>
 *
 * {@code tp_mac} counts from the frame's header; with {@code PACKET_VNET_HDR} on, the virtio-net header is the
 * ten bytes before it ({@code tpacket_rcv} in net/packet/af_packet.c).
 */
public final class TpacketV3 {

    /** Socket options at level SOL_PACKET. */
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_VERSION = 10;
    public static final int TPACKET_V3 = 2;

    /** A block's or frame's status bits. */
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;
    /** Frame status: the transport checksum is partial, as {@link PacketMessage#TP_STATUS_CSUMNOTREADY}. */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;

    public static final int BLOCK_STATUS = 8;
    public static final int BLOCK_NUM_PACKETS = 12;
    public static final int BLOCK_FIRST_PACKET = 16;
    public static final int BLOCK_LENGTH = 20;

    public static final int FRAME_NEXT_OFFSET = 0;
    public static final int FRAME_SNAPLEN = 12;
    public static final int FRAME_LENGTH = 16;
    public static final int FRAME_STATUS = 20;
    public static final int FRAME_MAC = 24;
    /** TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the frame's sockaddr_ll starts. */
    public static final int FRAME_ADDRESS = 48;
    public static final int FRAME_PACKET_TYPE = FRAME_ADDRESS + SockaddrLl.PKTTYPE_OFFSET;

    static final int REQUEST_SIZE = 28;

    private TpacketV3() {
    }

    /**
     * What PACKET_RX_RING takes: {@code blockCount} blocks of {@code blockSize} bytes (a multiple of the page
     * size), frames counted as if {@code frameSize} each (V3 packs them tighter; the kernel only checks the
     * sum), and a block handed over after {@code retireMillis} even when not full.
     */
    public static ByteBuffer request(int blockSize, int blockCount, int frameSize, int retireMillis) {
        if (blockSize % frameSize != 0) {
            throw new IllegalArgumentException("a block of " + blockSize + " bytes holds no whole number of "
                    + frameSize + "-byte frames");
        }
        ByteBuffer request = Posix.nativeBuffer(REQUEST_SIZE);
        request.putInt(0, blockSize).putInt(4, blockCount).putInt(8, frameSize)
                .putInt(12, blockCount * (blockSize / frameSize)).putInt(16, retireMillis);
        return request; // no private area per block, no feature requests
    }
}
