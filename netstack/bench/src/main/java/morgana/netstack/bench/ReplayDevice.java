package morgana.netstack.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import morgana.netstack.phy.Device;

/** Hands the stack one frame a given number of times, then nothing; counts and discards what it sends. */
final class ReplayDevice implements Device {

    private final byte[] frame;
    private int left;
    private long sent;

    ReplayDevice(byte[] frame) {
        this.frame = frame;
    }

    /** Queues {@code count} more copies of the frame. */
    void replay(int count) {
        left += count;
    }

    long sent() {
        return sent;
    }

    @Override
    public boolean receive(ByteBuffer into) {
        if (left == 0) {
            into.clear();
            return false;
        }
        left--;
        into.put(frame).flip();
        return true;
    }

    @Override
    public void transmit(ByteBuffer f) {
        sent++;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public void awaitFrame(Duration timeout) {
    }

    @Override
    public void wakeup() {
    }
}
