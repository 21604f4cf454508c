package morgana.kernel.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The checked face of {@link LibC}: each method makes one call, reads errno when it fails, and throws a
 * {@link SystemCallException} that says what was being done and what to do. Calls that may find nothing to
 * do (non-blocking reads and writes) return {@link #WOULD_BLOCK} instead of throwing for EAGAIN and EINTR.
 *
 * <p>Loading libc needs neither /proc nor /sys: jnr-ffi dlopens {@code libc.so.6} by its soname, and jffi
 * extracts its stub to {@code java.io.tmpdir} unless {@code jffi.boot.library.path} names a directory that
 * already holds it.
 */
public final class Posix {

    public static final int WOULD_BLOCK = -1;

    // fcntl.h, sys/socket.h, sys/eventfd.h, poll.h (x86_64 values)
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int AF_INET = 2;
    public static final int AF_PACKET = 17;
    public static final int AF_UNIX = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = O_NONBLOCK;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    public static final short POLLIN = 0x1;
    public static final int MSG_DONTWAIT = 0x40;
    // sys/mman.h
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x1;
    private static final long MAP_FAILED = -1;

    private static final long SYS_FINIT_MODULE = 313; // arch/x86/entry/syscalls/syscall_64.tbl

    private static final class Holder {
        static final Posix SYSTEM = load();

        private static Posix load() {
            // jffi extracts its stub into java.io.tmpdir; a fresh initramfs may not have that directory yet.
            try {
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
            } catch (IOException | RuntimeException e) {
                // jffi will say what it could not do
            }
            return new Posix(LibraryLoader.create(LibC.class).failImmediately().load("c"));
        }
    }

    private final LibC libc;
    private final Runtime runtime;

    private Posix(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    /** The process's C library, loaded on first use. */
    public static Posix system() {
        return Holder.SYSTEM;
    }

    /** A direct buffer in the machine's byte order, the kind every call here takes. */
    public static ByteBuffer nativeBuffer(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    public int open(String path, int flags, Advice advice) {
        return check(libc.open(path, flags), "open " + path, advice);
    }

    /** Closes {@code fd}. EINTR still closes it on Linux, so only EBADF and EIO are reported. */
    public void close(int fd, String what) {
        if (libc.close(fd) < 0) {
            int errno = errno();
            if (errno != Errno.EINTR.value()) {
                throw failure("close " + what, errno, Advice.NONE);
            }
        }
    }

    /**
     * Reads into {@code dst} from its position to its limit and advances the position. Returns the count,
     * or {@link #WOULD_BLOCK} when nothing is ready (EAGAIN, EINTR).
     */
    public int read(int fd, ByteBuffer dst, String what) {
        requireDirect(dst);
        long n = libc.read(fd, dst, dst.remaining());
        return advance(dst, n, "read", what);
    }

    /** Writes {@code src} from its position to its limit, advancing the position; see {@link #read}. */
    public int write(int fd, ByteBuffer src, String what) {
        requireDirect(src);
        long n = libc.write(fd, src, src.remaining());
        return advance(src, n, "write", what);
    }

    /**
     * Receives one datagram into {@code dst} without blocking, and its source address into {@code from}
     * (whose position is left at 0 and limit at the address length). See {@link #read}.
     */
    public int receiveFrom(int fd, ByteBuffer dst, ByteBuffer from, String what) {
        requireDirect(dst);
        requireDirect(from);
        ByteBuffer length = nativeBuffer(4);
        length.putInt(0, from.capacity());
        from.clear();
        long n = libc.recvfrom(fd, dst, dst.remaining(), MSG_DONTWAIT, from, length);
        int result = advance(dst, n, "recvfrom", what);
        from.limit(Math.min(from.capacity(), length.getInt(0)));
        return result;
    }

    /** recvmsg(2) without blocking into a prepared message; returns the byte count or {@link #WOULD_BLOCK}. */
    public int receiveMessage(int fd, PacketMessage message, String what) {
        long n = libc.recvmsg(fd, message.header(), MSG_DONTWAIT);
        if (n < 0) {
            int errno = errno();
            if (errno == Errno.EAGAIN.value() || errno == Errno.EINTR.value()) {
                return WOULD_BLOCK;
            }
            throw failure("recvmsg " + what, errno, Advice.NONE);
        }
        return (int) n;
    }

    public void ioctl(int fd, long request, ByteBuffer arg, String what, Advice advice) {
        requireDirect(arg);
        check(libc.ioctl(fd, request, arg), what, advice);
    }

    /** ioctl(2) whose argument is a plain value. */
    public void ioctlValue(int fd, long request, long value, String what, Advice advice) {
        check(libc.ioctl(fd, request, value), what, advice);
    }

    public int socket(int domain, int type, int protocol, String what, Advice advice) {
        return check(libc.socket(domain, type, protocol), what, advice);
    }

    public void bind(int fd, ByteBuffer address, String what, Advice advice) {
        requireDirect(address);
        check(libc.bind(fd, address, address.remaining()), what, advice);
    }

    public void setIntOption(int fd, int level, int name, int value, String what, Advice advice) {
        ByteBuffer v = nativeBuffer(4);
        v.putInt(0, value);
        check(libc.setsockopt(fd, level, name, v, 4), what, advice);
    }

    /** setsockopt(2) with a struct: {@code value} (direct) from its position to its limit. */
    public void setOption(int fd, int level, int name, ByteBuffer value, String what, Advice advice) {
        requireDirect(value);
        check(libc.setsockopt(fd, level, name, value, value.remaining()), what, advice);
    }

    /** getsockopt(2) into {@code value} (direct, its remaining bytes the room); returns the length written. */
    public int getOption(int fd, int level, int name, ByteBuffer value, String what, Advice advice) {
        requireDirect(value);
        ByteBuffer length = nativeBuffer(4);
        length.putInt(0, value.remaining());
        check(libc.getsockopt(fd, level, name, value, length), what, advice);
        return length.getInt(0);
    }

    /** socketpair(2): the two descriptors of a connected pair. */
    public int[] socketPair(int domain, int type, int protocol, String what, Advice advice) {
        ByteBuffer fds = nativeBuffer(8);
        check(libc.socketpair(domain, type, protocol, fds), what, advice);
        return new int[] {fds.getInt(0), fds.getInt(4)};
    }

    /** poll(2) over {@code fds}; returns how many are ready, 0 on timeout or when a signal cut it short. */
    public int poll(PollFds fds, int timeoutMillis) {
        int n = libc.poll(fds.buffer(), fds.count(), timeoutMillis);
        if (n < 0) {
            int errno = errno();
            if (errno == Errno.EINTR.value()) {
                return 0;
            }
            throw failure("poll", errno, Advice.NONE);
        }
        return n;
    }

    /**
     * mmap(2) of {@code length} bytes of {@code fd} from offset 0, shared with the kernel and read-write: what a
     * packet socket's ring is. Unmapped by {@link SharedMapping#close}.
     */
    public SharedMapping mapShared(int fd, int length, String what, Advice advice) {
        jnr.ffi.Pointer mapped = libc.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mapped == null || mapped.address() == MAP_FAILED) {
            throw failure("mmap " + what, errno(), advice);
        }
        return new SharedMapping(this, mapped.address(), length, what);
    }

    /** munmap(2); see {@link #mapShared}. */
    void unmap(long address, long length, String what) {
        check(libc.munmap(runtime.getMemoryManager().newPointer(address), length), "munmap " + what, Advice.NONE);
    }

    public int eventfd(int flags) {
        return check(libc.eventfd(0, flags), "eventfd", Advice.of(java.util.Map.of(
                Errno.EMFILE, "too many open files in this process",
                Errno.ENFILE, "too many open files on this machine")));
    }

    public void mount(String source, String target, String fstype, long flags, String what, Advice advice) {
        check(libc.mount(source, target, fstype, flags, null), what, advice);
    }

    /** finit_module(2): loads the kernel module open at {@code fd}, with no parameters. */
    public void finitModule(int fd, int flags, String what, Advice advice) {
        long r = libc.syscall(SYS_FINIT_MODULE, fd, "", flags);
        if (r < 0) {
            throw failure(what, errno(), advice);
        }
    }

    public void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        check(libc.sethostname(name, bytes.length), "sethostname " + name,
                Advice.needs("root (CAP_SYS_ADMIN in the UTS namespace)"));
    }

    /** The interface's index, or empty when no interface has that name. */
    public OptionalInt interfaceIndex(String name) {
        int index = libc.if_nametoindex(name);
        return index == 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    public void sync() {
        libc.sync();
    }

    /** getrandom(2) with no flags: fills {@code dst}, blocking until the kernel's random generator is seeded. */
    public void getRandom(ByteBuffer dst, String what) {
        requireDirect(dst);
        while (dst.hasRemaining()) {
            long n = libc.getrandom(dst, dst.remaining(), 0);
            if (n < 0) {
                int errno = errno();
                if (errno == Errno.EINTR.value()) {
                    continue;
                }
                throw failure(what, errno, Advice.NONE);
            }
            dst.position(dst.position() + (int) n);
        }
    }

    /** reboot(2) with one of the LINUX_REBOOT_CMD_* commands; returns only when it failed. */
    public void reboot(int command, String what) {
        check(libc.reboot(command), what, Advice.needs("root (CAP_SYS_BOOT)"));
    }

    /** The native address of a direct buffer's first byte, for structs that point at other memory. */
    public long address(ByteBuffer direct) {
        requireDirect(direct);
        return runtime.getMemoryManager().newPointer(direct).address();
    }

    public int pid() {
        return libc.getpid();
    }

    public int errno() {
        return LastError.getLastError(runtime);
    }

    public String describe(int errno) {
        String text = libc.strerror(errno);
        return text == null ? "unknown error" : text;
    }

    private int check(int result, String what, Advice advice) {
        if (result < 0) {
            throw failure(what, errno(), advice);
        }
        return result;
    }

    /** The call's description ({@code call} and {@code what}) is made only for a failure: a frame's read makes none. */
    private int advance(ByteBuffer buffer, long n, String call, String what) {
        if (n < 0) {
            int errno = errno();
            if (errno == Errno.EAGAIN.value() || errno == Errno.EINTR.value()) {
                return WOULD_BLOCK;
            }
            throw failure(call + " " + what, errno, Advice.NONE);
        }
        buffer.position(buffer.position() + (int) n);
        return (int) n;
    }

    private SystemCallException failure(String what, int errno, Advice advice) {
        String advised = Errno.of(errno).map(advice::forErrno).orElse(null);
        return new SystemCallException(what, errno, advised != null ? advised : describe(errno));
    }

    private static void requireDirect(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("native calls take direct buffers (Posix.nativeBuffer)");
        }
    }
}
