package morgana.kernel.device;

import static morgana.kernel.sys.TpacketV3.BLOCK_FIRST_PACKET;
import static morgana.kernel.sys.TpacketV3.BLOCK_NUM_PACKETS;
import static morgana.kernel.sys.TpacketV3.BLOCK_STATUS;
import static morgana.kernel.sys.TpacketV3.FRAME_LENGTH;
import static morgana.kernel.sys.TpacketV3.FRAME_MAC;
import static morgana.kernel.sys.TpacketV3.FRAME_NEXT_OFFSET;
import static morgana.kernel.sys.TpacketV3.FRAME_PACKET_TYPE;
import static morgana.kernel.sys.TpacketV3.FRAME_SNAPLEN;
import static morgana.kernel.sys.TpacketV3.FRAME_STATUS;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SharedMapping;
import morgana.kernel.sys.SockaddrLl;
import morgana.kernel.sys.SystemCallException;
import morgana.kernel.sys.TpacketV3;

/**
 * A TPACKET_V3 receive ring on a packet socket ({@link TpacketV3}): the kernel copies frames into blocks of
 * memory it shares with us, many to a block, and hands a block over (TP_STATUS_USER) once it is full or its
 * retire timer fired; we copy the frames out in order and hand the block back (TP_STATUS_KERNEL). Frames are
 * read without a system call for as long as blocks are waiting; poll(2) on the socket says when one is.
 *
 * <p>Read by one thread, the device's event loop.
 */
final class ReceiveRing implements AutoCloseable {

    /** {@link #next}: a frame the ring cut short (longer than a block holds), skipped. */
    static final int TRUNCATED = -2;

    /**
     * 128 KiB blocks hold the largest segment GRO merges (64 KiB) with its headers; 16 of them are 2 MiB of
     * the guest's memory, a few milliseconds of a gigabit link.
     */
    static final int BLOCK_SIZE = 128 << 10;
    static final int BLOCK_COUNT = 16;
    /** Frames counted at this size for the kernel's checks only: V3 packs them as long as each is. */
    private static final int FRAME_SIZE = 2048;
    /**
     * A block is handed over after this long even when not full, so a lone small frame waits at most this
     * (rounded up to the kernel's tick) rather than until the block fills.
     */
    static final int RETIRE_MILLIS = 1;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final SharedMapping mapping;
    private final ByteBuffer ring;
    private final int blockSize;
    private final int blockCount;
    /** The block read next, or being read. */
    private int block;
    /** Frames of the current block not yet read; 0 when no block is held. */
    private int framesLeft;
    private int frameAt;
    private int lastStatus;
    private long blocksRead;

    private ReceiveRing(SharedMapping mapping, int blockSize, int blockCount) {
        this.mapping = mapping;
        this.ring = mapping.view();
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    /**
     * Gives {@code fd} (a packet socket, not yet bound, with PACKET_VNET_HDR already set or not) a V3 receive
     * ring and maps it. Throws when the kernel refuses (ENOPROTOOPT: no TPACKET_V3; EINVAL, ENOMEM), leaving the
     * socket with whatever was set: the caller closes it.
     */
    static ReceiveRing attach(Posix posix, int fd, String description) {
        return attach(posix, fd, description, BLOCK_SIZE, BLOCK_COUNT);
    }

    static ReceiveRing attach(Posix posix, int fd, String description, int blockSize, int blockCount) {
        posix.setIntOption(fd, SockaddrLl.SOL_PACKET, TpacketV3.PACKET_VERSION, TpacketV3.TPACKET_V3,
                "PACKET_VERSION TPACKET_V3", Advice.of(java.util.Map.of(Errno.EINVAL, "the kernel has no TPACKET_V3")));
        posix.setOption(fd, SockaddrLl.SOL_PACKET, TpacketV3.PACKET_RX_RING,
                TpacketV3.request(blockSize, blockCount, FRAME_SIZE, RETIRE_MILLIS), "PACKET_RX_RING", Advice.NONE);
        SharedMapping mapping = posix.mapShared(fd, blockSize * blockCount, "the receive ring of " + description,
                Advice.of(java.util.Map.of(Errno.ENOMEM, "not enough memory for a ring of "
                        + (blockSize * blockCount >> 10) + " KiB")));
        return new ReceiveRing(mapping, blockSize, blockCount);
    }

    /**
     * Copies the next frame into {@code rx} (cleared; from index 0, its position left after the frame), with
     * the {@code before} bytes the kernel wrote before it (the virtio-net header, when there is one). Returns
     * its length with them, {@link Posix#WOULD_BLOCK} when no block is waiting, or {@link #TRUNCATED}. Our own
     * frames coming back (before Linux 4.20 ignored them) are skipped.
     */
    int next(ByteBuffer rx, int before) {
        while (true) {
            if (framesLeft == 0 && !take()) {
                return Posix.WOULD_BLOCK;
            }
            int at = frameAt;
            int blockEnd = (block + 1) * blockSize;
            if (at + FRAME_HEADERS > blockEnd) {
                release(); // a frame the block cannot hold: the kernel's lengths disagree with ours; skip the rest
                return TRUNCATED;
            }
            frameAt = at + ring.getInt(at + FRAME_NEXT_OFFSET);
            int n = copy(rx, at, before, blockEnd);
            if (--framesLeft == 0) {
                release(); // the last frame is out: the block may go back
            }
            if (n != SKIPPED) {
                return n;
            }
        }
    }

    /** A frame's tpacket3_hdr and sockaddr_ll. */
    private static final int FRAME_HEADERS = TpacketV3.FRAME_ADDRESS + SockaddrLl.SIZE;
    private static final int SKIPPED = -3;

    /** The frame at {@code at} into {@code rx}: its length, {@link #TRUNCATED} or {@link #SKIPPED}. */
    private int copy(ByteBuffer rx, int at, int before, int blockEnd) {
        if ((ring.get(at + FRAME_PACKET_TYPE) & 0xFF) == SockaddrLl.PACKET_OUTGOING) {
            return SKIPPED;
        }
        int snapLength = ring.getInt(at + FRAME_SNAPLEN);
        int start = at + (ring.getShort(at + FRAME_MAC) & 0xFFFF) - before;
        int length = snapLength + before;
        if (snapLength != ring.getInt(at + FRAME_LENGTH) || start < at || length > rx.capacity()
                || start + length > blockEnd) {
            return TRUNCATED;
        }
        lastStatus = ring.getInt(at + FRAME_STATUS);
        rx.put(0, ring, start, length).position(length);
        return length;
    }

    /** Whether the last frame's transport checksum was left partial (CHECKSUM_PARTIAL) for us to complete. */
    boolean checksumNotReady() {
        return (lastStatus & TpacketV3.TP_STATUS_CSUMNOTREADY) != 0;
    }

    /** Holds the next block if the kernel handed it over; the acquire pairs with the kernel's barrier before it. */
    private boolean take() {
        for (int i = 0; i < blockCount; i++) {
            int blockStart = block * blockSize;
            if (((int) INT.getAcquire(ring, blockStart + BLOCK_STATUS) & TpacketV3.TP_STATUS_USER) == 0) {
                return false;
            }
            int frames = ring.getInt(blockStart + BLOCK_NUM_PACKETS);
            if (frames > 0) {
                framesLeft = frames;
                blocksRead++;
                frameAt = blockStart + ring.getInt(blockStart + BLOCK_FIRST_PACKET);
                return true;
            }
            release(); // retired empty: nothing to read
        }
        return false;
    }

    /** Hands the current block back; every read of it happens before (release store). */
    private void release() {
        INT.setRelease(ring, block * blockSize + BLOCK_STATUS, TpacketV3.TP_STATUS_KERNEL);
        framesLeft = 0;
        block = block + 1 == blockCount ? 0 : block + 1;
    }

    /** Blocks that held frames, taken since the ring was made. */
    long blocksRead() {
        return blocksRead;
    }

    /** The mapping's address, for tests that look for it in /proc/self/maps. */
    long address() {
        return mapping.address();
    }

    boolean isMapped() {
        return mapping.isMapped();
    }

    /** Unmaps the ring; the socket stays the caller's to close. */
    @Override
    public void close() {
        try {
            mapping.close();
        } catch (SystemCallException e) {
            // EINVAL only, for an address we never had: nothing is mapped either way
        }
    }
}
