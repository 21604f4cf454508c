package morgana.kernel.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void namesKnownValuesAndNumbersUnknownOnes() {
        assertThat(Errno.nameOf(1)).isEqualTo("EPERM");
        assertThat(Errno.nameOf(17)).isEqualTo("EEXIST");
        assertThat(Errno.nameOf(4242)).isEqualTo("errno 4242");
    }

    @Test
    void adviceFallsThroughToTheNextWhenItHasNothingToSay() {
        Advice advice = Advice.needs("root").or(Advice.of(Map.of(Errno.ENOENT, "missing")));
        assertThat(advice.forErrno(Errno.EPERM)).isEqualTo("needs root");
        assertThat(advice.forErrno(Errno.EACCES)).isEqualTo("needs root");
        assertThat(advice.forErrno(Errno.ENOENT)).isEqualTo("missing");
        assertThat(advice.forErrno(Errno.EBUSY)).isNull();
    }

    @Test
    void exceptionMessageIsCallErrnoAdvice() {
        SystemCallException e = new SystemCallException("open /dev/net/tun", 1, "needs root or CAP_NET_ADMIN");
        assertThat(e).hasMessage("open /dev/net/tun: EPERM: needs root or CAP_NET_ADMIN");
        assertThat(e.is(Errno.EPERM)).isTrue();
        assertThat(e.call()).isEqualTo("open /dev/net/tun");
    }
}
