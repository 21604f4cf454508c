package morgana.kernel.sys;

import java.util.Optional;

/** The Linux x86_64 errno values Morgana's calls can meet, by their C names (errno-base.h, errno.h). */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), ENOEXEC(8), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), ENOTDIR(20), EINVAL(22), ENFILE(23), EMFILE(24),
    ENOTTY(25), ENOSPC(28), EROFS(30), ENAMETOOLONG(36), ENOSYS(38), EBADMSG(74), EMSGSIZE(90), ENOPROTOOPT(92),
    EPROTONOSUPPORT(93), EOPNOTSUPP(95), EAFNOSUPPORT(97), EADDRINUSE(98), EADDRNOTAVAIL(99), ENETDOWN(100),
    ENOBUFS(105), EKEYREJECTED(129);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<Errno> of(int value) {
        for (Errno e : values()) {
            if (e.value == value) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The C name of {@code value}, or {@code errno 123} for one this enum does not list. */
    public static String nameOf(int value) {
        return of(value).map(Enum::name).orElse("errno " + value);
    }
}
