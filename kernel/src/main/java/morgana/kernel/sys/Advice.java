package morgana.kernel.sys;

import java.util.Map;

/**
 * What to tell the user when a call fails with a given errno. Returns {@code null} when it has nothing
 * better than the C library's description.
 */
@FunctionalInterface
public interface Advice {

    String forErrno(Errno errno);

    Advice NONE = errno -> null;

    static Advice of(Map<Errno, String> advice) {
        return advice::get;
    }

    /** The usual advice for operations that need a capability: EPERM and EACCES both mean "not allowed". */
    static Advice needs(String privilege) {
        return errno -> errno == Errno.EPERM || errno == Errno.EACCES ? "needs " + privilege : null;
    }

    default Advice or(Advice other) {
        return errno -> {
            String mine = forErrno(errno);
            return mine != null ? mine : other.forErrno(errno);
        };
    }
}
