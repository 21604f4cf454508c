package morgana.kernel.sys;

/**
 * A system call that failed, named with what it was doing, the errno and what to do about it, such as
 * {@code open /dev/net/tun: EPERM: needs root or CAP_NET_ADMIN}.
 */
public final class SystemCallException extends RuntimeException {

    private final String call;
    private final int errno;

    public SystemCallException(String call, int errno, String advice) {
        super(call + ": " + Errno.nameOf(errno) + ": " + advice);
        this.call = call;
        this.errno = errno;
    }

    /** What was being done, such as {@code open /dev/net/tun}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    public boolean is(Errno e) {
        return errno == e.value();
    }
}
