package morgana.kernel.device;

import java.nio.ByteBuffer;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SystemCallException;

/**
 * One end of a pair of devices joined by the kernel, for tests: what one end transmits, the other receives,
 * frame by frame. The pair is a {@code socketpair(AF_UNIX, SOCK_SEQPACKET)}, which keeps each write's
 * boundaries, so both ends are real descriptors behind the same read, write and poll code as a TAP or a
 * packet socket, and need neither root nor a network namespace.
 */
public final class LoopbackPairDevice extends DescriptorDevice {

    private LoopbackPairDevice(Posix posix, int fd, String description, int mtu) {
        super(posix, fd, description, mtu);
    }

    /** Both ends of a new pair; closing one ends the other's link. */
    public record Pair(LoopbackPairDevice a, LoopbackPairDevice b) implements AutoCloseable {
        @Override
        public void close() {
            try {
                a.close();
            } finally {
                b.close();
            }
        }
    }

    public static Pair open(int mtu) {
        return open(Posix.system(), mtu);
    }

    static Pair open(Posix posix, int mtu) {
        int[] fds = posix.socketPair(Posix.AF_UNIX, Posix.SOCK_SEQPACKET | Posix.SOCK_NONBLOCK | Posix.SOCK_CLOEXEC, 0,
                "socketpair AF_UNIX SOCK_SEQPACKET", Advice.NONE);
        LoopbackPairDevice a;
        try {
            a = new LoopbackPairDevice(posix, fds[0], "loopback pair end a", mtu);
        } catch (RuntimeException e) {
            posix.close(fds[1], "loopback pair end b");
            throw e;
        }
        try {
            return new Pair(a, new LoopbackPairDevice(posix, fds[1], "loopback pair end b", mtu));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    @Override
    int readFrame(ByteBuffer rx) {
        try {
            return posix.read(fd, rx, description);
        } catch (SystemCallException peerGone) { // ECONNRESET once the other end closed: nothing more comes
            return Posix.WOULD_BLOCK;
        }
    }
}
