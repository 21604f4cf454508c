package morgana.netstack.phy;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A network device that moves whole Ethernet frames: a TAP device on a developer's host, an AF_PACKET
 * socket on a guest NIC, or an in-memory link in tests.
 *
 * <p>The stack calls only {@link #receive}, {@link #transmit} and {@link #mtu}, and never blocks in them.
 * The event loop that drives the stack (not the stack itself) calls {@link #awaitFrame} to sleep until a
 * frame arrives or the stack's next deadline, and another thread calls {@link #wakeup} to cut that sleep
 * short.
 */
public interface Device {

    /**
     * Copies the next received frame into {@code frame}, from its position; on return the buffer is flipped
     * (position 0, limit the frame's length). Returns {@code false}, leaving the buffer cleared, when no
     * frame is waiting. Never blocks. The buffer must hold at least {@code mtu() + 18} bytes.
     */
    boolean receive(ByteBuffer frame);

    /** Sends the frame between the buffer's position and limit. Never blocks; may drop when the device is full. */
    void transmit(ByteBuffer frame);

    /** The largest IP packet the link carries (1500 for Ethernet). */
    int mtu();

    /**
     * Blocks until a frame may be waiting, {@link #wakeup} is called, or {@code timeout} passes, whichever
     * comes first. A spurious return is allowed. Called by the event loop only.
     */
    void awaitFrame(Duration timeout) throws InterruptedException;

    /** Makes a current or the next {@link #awaitFrame} return at once. Safe to call from any thread. */
    void wakeup();
}
