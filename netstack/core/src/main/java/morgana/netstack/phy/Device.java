package morgana.netstack.phy;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A network device that moves whole Ethernet frames: a TAP device on a developer's host, an AF_PACKET
 * socket on a guest NIC, or an in-memory link in tests.
 *
 * <p>The stack calls only {@link #receive}, {@link #transmit} and {@link #mtu}, and never blocks in them; the
 * batch forms and {@link #capabilities} have defaults built on those, for devices that can do better.
 * The event loop that drives the stack (not the stack itself) calls {@link #awaitFrame} to sleep until a
 * frame arrives or the stack's next deadline, and another thread calls {@link #wakeup} to cut that sleep
 * short.
 */
public interface Device {

    /**
     * Copies the next received frame into {@code frame}, from its position; on return the buffer is flipped
     * (position 0, limit the frame's length). Returns {@code false}, leaving the buffer cleared, when no
     * frame is waiting. Never blocks. The buffer must hold at least {@code mtu() + 18} bytes, and with
     * {@link DeviceCapabilities#segmentationOffload} that many + 18: such a device may hand over one TCP
     * segment larger than the link, merged beneath the stack from the peer's (GRO), checksum complete.
     */
    boolean receive(ByteBuffer frame);

    /** What {@link #receiveVouched} found. */
    enum Reception {
        /** No frame was waiting. */
        NONE,
        /** A frame, to be checked like any from a wire. */
        FRAME,
        /**
         * A frame whose TCP or UDP checksum the kernel beneath vouches for: it made the segment itself
         * (CHECKSUM_PARTIAL) or checked it. The field may hold only the pseudo-header's sum.
         */
        CHECKSUM_VOUCHED
    }

    /**
     * As {@link #receive}, for a reader that can skip the transport checksum of a frame the kernel beneath
     * vouches for: such a frame comes as it is, without the device completing its checksum. By default every
     * frame is a {@link Reception#FRAME} from {@link #receive}.
     */
    default Reception receiveVouched(ByteBuffer frame) {
        return receive(frame) ? Reception.FRAME : Reception.NONE;
    }

    /**
     * Sends the frame between the buffer's position and limit. The buffer is the caller's again on return: a
     * device that keeps the frame copies it. Never blocks; may drop when the device is full.
     */
    void transmit(ByteBuffer frame);

    /** The largest IP packet the link carries (1500 for Ethernet). */
    int mtu();

    /**
     * Receives up to {@code frames.length} frames, each into its own buffer as {@link #receive} does, stopping
     * at the first buffer left empty. Returns how many were filled. Devices that can take several frames from
     * the kernel in one call (recvmmsg, a ring) override it; by default it calls {@link #receive} in a loop.
     */
    default int receiveBatch(ByteBuffer[] frames) {
        int n = 0;
        while (n < frames.length && receive(frames[n])) {
            n++;
        }
        return n;
    }

    /** Sends each buffer's frame in order, as {@link #transmit} does; by default one call each. */
    default void transmitBatch(java.util.List<ByteBuffer> frames) {
        for (ByteBuffer frame : frames) {
            transmit(frame);
        }
    }

    /**
     * Sends a frame carrying one IPv4 TCP segment larger than the link, to be cut into segments of
     * {@code segmentSize} payload bytes: by the device or the kernel beneath it when
     * {@link DeviceCapabilities#segmentationOffload} says so (TSO), else here, in software
     * ({@link TcpSegmentation}). The stack sends such frames only to devices that offer the offload.
     */
    default void transmitSegmented(ByteBuffer frame, int segmentSize) {
        for (ByteBuffer piece : TcpSegmentation.split(frame, segmentSize)) {
            transmit(piece);
        }
    }

    /** What the device does for the stack; {@link DeviceCapabilities#NONE} unless it says otherwise. */
    default DeviceCapabilities capabilities() {
        return DeviceCapabilities.NONE;
    }

    /**
     * Blocks until a frame may be waiting, {@link #wakeup} is called, or {@code timeout} passes, whichever
     * comes first. A spurious return is allowed. Called by the event loop only.
     */
    void awaitFrame(Duration timeout) throws InterruptedException;

    /** As {@link #awaitFrame(Duration)}, the timeout in nanoseconds: a device that can wait on it makes no Duration. */
    default void awaitFrame(long timeoutNanos) throws InterruptedException {
        awaitFrame(Duration.ofNanos(timeoutNanos));
    }

    /** Makes a current or the next {@link #awaitFrame} return at once. Safe to call from any thread. */
    void wakeup();
}
