package morgana.kernel.sys;

import java.nio.ByteBuffer;

/** An array of {@code struct pollfd { int fd; short events; short revents; }} (poll.h), 8 bytes each. */
public final class PollFds {

    public static final int ENTRY_SIZE = 8;

    private final ByteBuffer buffer;
    private final int count;

    private PollFds(int... fds) {
        this.count = fds.length;
        this.buffer = Posix.nativeBuffer(ENTRY_SIZE * fds.length);
        for (int i = 0; i < fds.length; i++) {
            buffer.putInt(i * ENTRY_SIZE, fds[i]);
            buffer.putShort(i * ENTRY_SIZE + 4, Posix.POLLIN);
        }
    }

    /** Watches each descriptor for input. */
    public static PollFds readable(int... fds) {
        return new PollFds(fds);
    }

    public int count() {
        return count;
    }

    public int fd(int i) {
        return buffer.getInt(i * ENTRY_SIZE);
    }

    public short events(int i) {
        return buffer.getShort(i * ENTRY_SIZE + 4);
    }

    /** What poll(2) reported for entry {@code i} (POLLIN, POLLERR, POLLHUP, POLLNVAL bits). */
    public short revents(int i) {
        return buffer.getShort(i * ENTRY_SIZE + 6);
    }

    public boolean isReadable(int i) {
        return (revents(i) & Posix.POLLIN) != 0;
    }

    ByteBuffer buffer() {
        return buffer;
    }
}
