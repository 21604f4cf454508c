package morgana.kernel.sys;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The glibc functions Morgana calls, bound by jnr-ffi. Nothing outside {@code morgana.kernel.sys} sees this
 * binding: callers use {@link Posix}, which checks results and turns errno into {@link SystemCallException}.
 *
 * <p>Buffers passed here are direct {@link ByteBuffer}s; jnr-ffi passes the address of their position.
 * Struct layouts are built by {@link IfReq}, {@link SockaddrLl} and {@link PollFds}.
 */
@SaveError
public interface LibC {

    @Variadic(fixedCount = 2)
    int open(String path, int flags);

    int close(int fd);

    @ssize_t long read(int fd, @Out ByteBuffer buf, @size_t long count);

    @ssize_t long write(int fd, @In ByteBuffer buf, @size_t long count);

    /** {@code request} is an {@code unsigned long} in glibc; the argument is always a pointer here. */
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, ByteBuffer arg);

    /** For requests whose argument is a value, not a pointer (TUNSETPERSIST). */
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, long value);

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In ByteBuffer addr, int addrlen);

    int setsockopt(int fd, int level, int name, @In ByteBuffer value, int length);

    /** {@code length} holds a socklen_t: in, the room in {@code value}; out, what was written. */
    int getsockopt(int fd, int level, int name, @Out ByteBuffer value, ByteBuffer length);

    /** Two connected sockets; their descriptors are written to {@code fds} (two ints). */
    int socketpair(int domain, int type, int protocol, @Out ByteBuffer fds);

    @ssize_t long recvfrom(int fd, @Out ByteBuffer buf, @size_t long len, int flags, @Out ByteBuffer from,
            @Out ByteBuffer fromlen);

    /** {@code msg} is a {@code struct msghdr} whose pointers name other direct buffers ({@link PacketMessage}). */
    @ssize_t long recvmsg(int fd, ByteBuffer msg, int flags);

    int poll(ByteBuffer fds, long nfds, int timeoutMillis);

    /**
     * Returns the mapping, or MAP_FAILED (address -1); {@code addr} null lets the kernel choose. The address is a
     * {@link Pointer}: declared as longs, jnr-ffi's invoker passed glibc an offset it found unaligned (EINVAL
     * without a system call).
     */
    Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, @off_t long offset);

    int munmap(Pointer addr, @size_t long length);

    int eventfd(int initval, int flags);

    int mount(String source, String target, String fstype, long flags, String data);

    /** Only for system calls glibc has no wrapper for, such as finit_module(2). */
    @Variadic(fixedCount = 1)
    long syscall(long number, int fd, String params, int flags);

    int reboot(int cmd);

    @ssize_t long getrandom(@Out ByteBuffer buf, @size_t long length, int flags);

    void sync();

    int sethostname(String name, @size_t long length);

    int if_nametoindex(String name);

    String strerror(int errnum);

    int getpid();
}
