package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.ReadinessWait;
import morgana.kernel.sys.SystemCallException;
import morgana.netstack.phy.Device;
import morgana.netstack.phy.DeviceCapabilities;
import morgana.netstack.phy.TcpSegmentation;

/**
 * A {@link Device} over one non-blocking descriptor that reads and writes whole Ethernet frames, with a
 * {@link ReadinessWait} for {@link #awaitFrame}. Subclasses say how a frame is read.
 *
 * <p>Frames go through direct buffers the device owns, so the stack may hand in heap buffers.
 */
abstract sealed class DescriptorDevice implements Device, AutoCloseable permits TapDevice, PacketSocketDevice, LoopbackPairDevice {

    /** Ethernet header (14) plus one VLAN tag (4): what a frame adds to the MTU. */
    static final int FRAME_OVERHEAD = 18;
    /** Room for what a device may deliver above the MTU before we see it is too big (GRO, jumbo frames). */
    private static final int RECEIVE_BUFFER = VirtioNetHeader.LENGTH + DeviceCapabilities.MAX_IPV4_PACKET + FRAME_OVERHEAD;

    final Posix posix;
    final int fd;
    final String description;
    private final int mtu;
    private final ReadinessWait wait;
    private final ByteBuffer rx = Posix.nativeBuffer(RECEIVE_BUFFER);
    /** Where the layout of each frame sent with a vnet header is read (one for all of them). */
    private final TcpSegmentation.Layout layout = new TcpSegmentation.Layout();
    private final ByteBuffer tx;
    private final boolean vnetHeader;
    /** Asked on every poll of the stack: made once. */
    private final DeviceCapabilities capabilities;
    private final AtomicLong droppedOnReceive = new AtomicLong();
    private final AtomicLong droppedOnTransmit = new AtomicLong();
    private volatile boolean closed;

    DescriptorDevice(Posix posix, int fd, String description, int mtu) {
        this(posix, fd, description, mtu, false);
    }

    /**
     * @param vnetHeader every frame read and written starts with a {@link VirtioNetHeader}: we then hand the
     *                   kernel whole TCP segments of up to 64 KiB to cut ({@link #transmitSegmented})
     */
    DescriptorDevice(Posix posix, int fd, String description, int mtu, boolean vnetHeader) {
        this.posix = posix;
        this.fd = fd;
        this.description = description;
        this.mtu = mtu;
        this.vnetHeader = vnetHeader;
        this.capabilities = vnetHeader ? new DeviceCapabilities(true, 1, DeviceCapabilities.MAX_IPV4_PACKET)
                : DeviceCapabilities.NONE;
        this.tx = Posix.nativeBuffer(vnetHeader ? VirtioNetHeader.LENGTH + DeviceCapabilities.MAX_IPV4_PACKET + FRAME_OVERHEAD
                : mtu + FRAME_OVERHEAD);
        ReadinessWait w;
        try {
            w = ReadinessWait.on(posix, fd);
        } catch (RuntimeException e) {
            posix.close(fd, description);
            throw e;
        }
        this.wait = w;
    }

    /** Reads one frame into {@code rx} (cleared), returning its length or {@link Posix#WOULD_BLOCK}. */
    abstract int readFrame(ByteBuffer rx);

    @Override
    public final boolean receive(ByteBuffer frame) {
        return read(frame, true) != Reception.NONE;
    }

    /** With a vnet header, a segment the host's kernel made (NEEDS_CSUM) or checked (DATA_VALID) comes as it is. */
    @Override
    public final Reception receiveVouched(ByteBuffer frame) {
        return read(frame, false);
    }

    private Reception read(ByteBuffer frame, boolean completeChecksums) {
        requireOpen();
        while (true) {
            rx.clear();
            int n = readFrame(rx);
            if (n == Posix.WOULD_BLOCK) {
                frame.clear();
                return Reception.NONE;
            }
            rx.flip();
            boolean vouched = vnetHeader && !completeChecksums && VirtioNetHeader.vouched(rx);
            VirtioNetHeader.Received kind = vnetHeader ? VirtioNetHeader.strip(rx, !vouched)
                    : VirtioNetHeader.Received.FRAME;
            if (kind == VirtioNetHeader.Received.DROP) {
                droppedOnReceive.incrementAndGet(); // a kind of segment we never asked for
                continue;
            }
            int limit = kind == VirtioNetHeader.Received.SEGMENT ? DeviceCapabilities.MAX_IPV4_PACKET + FRAME_OVERHEAD
                    : mtu + FRAME_OVERHEAD;
            if (rx.remaining() > frame.remaining() || rx.remaining() > limit) {
                droppedOnReceive.incrementAndGet(); // larger than the link carries: not ours to reassemble
                continue;
            }
            frame.put(rx).flip();
            return vouched ? Reception.CHECKSUM_VOUCHED : Reception.FRAME;
        }
    }

    /** With a vnet header, the kernel completes the checksum of a TCP segment ({@link VirtioNetHeader#checksummed}). */
    @Override
    public final void transmit(ByteBuffer frame) {
        requireOpen();
        int start = vnetHeader ? VirtioNetHeader.LENGTH : 0;
        if (stage(frame, start, mtu + FRAME_OVERHEAD)) {
            if (vnetHeader) {
                VirtioNetHeader.checksummed(tx, start, layout);
            }
            write(tx.remaining());
        }
    }

    /** With a vnet header the kernel cuts the segment (TSO); without, it is cut here ({@link Device#transmitSegmented}). */
    @Override
    public final void transmitSegmented(ByteBuffer frame, int segmentSize) {
        if (!vnetHeader) {
            Device.super.transmitSegmented(frame, segmentSize);
            return;
        }
        requireOpen();
        int start = VirtioNetHeader.LENGTH;
        int position = frame.position();
        if (!stage(frame, start, tx.capacity() - start)) {
            return;
        }
        if (!VirtioNetHeader.segmented(tx, start, segmentSize, layout)) {
            transmit(frame.position(position)); // not a TCP segment after all
            return;
        }
        write(tx.remaining());
    }

    /**
     * Copies the frame into {@code tx} after {@code start} bytes kept for a header, leaving {@code tx} from 0 to
     * the frame's end; false, counting a drop, when the frame is longer than {@code limit} or the buffer.
     */
    private boolean stage(ByteBuffer frame, int start, int limit) {
        int length = frame.remaining();
        if (length > limit || start + length > tx.capacity()) {
            droppedOnTransmit.incrementAndGet();
            frame.position(frame.limit());
            return false;
        }
        tx.clear().position(start);
        tx.put(frame).flip();
        return true;
    }

    private void write(int length) {
        try {
            int n = posix.write(fd, tx, description);
            if (n != length) {
                droppedOnTransmit.incrementAndGet(); // full (EAGAIN) or, impossibly for frames, short
            }
        } catch (SystemCallException e) {
            // ENOBUFS, ENETDOWN, EIO while the link is down: a lossy link, not a reason to stop the loop.
            droppedOnTransmit.incrementAndGet();
        }
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public final int mtu() {
        return mtu;
    }

    @Override
    public final void awaitFrame(Duration timeout) throws InterruptedException {
        requireOpen();
        wait.await(timeout);
    }

    @Override
    public final void awaitFrame(long timeoutNanos) throws InterruptedException {
        requireOpen();
        wait.await(timeoutNanos);
    }

    @Override
    public final void wakeup() {
        wait.wakeup();
    }

    /**
     * Whether frames carry a virtio-net header: segments the kernel merged (GRO) then arrive whole, up to
     * 64 KiB, and segments we send are cut beneath us.
     */
    public final boolean takesMergedSegments() {
        return vnetHeader;
    }

    /** Counts a frame the subclass read but could not deliver whole (cut short by the kernel). */
    final void countDroppedOnReceive() {
        droppedOnReceive.incrementAndGet();
    }

    /** Frames read but not delivered because they were larger than the MTU allows. */
    public final long droppedOnReceive() {
        return droppedOnReceive.get();
    }

    /** Frames the stack handed in that did not leave: device full, link down, or too large. */
    public final long droppedOnTransmit() {
        return droppedOnTransmit.get();
    }

    public final boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            wait.close();
            posix.close(fd, description);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
