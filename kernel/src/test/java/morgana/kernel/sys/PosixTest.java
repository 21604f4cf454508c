package morgana.kernel.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PosixTest {

    private final Posix posix = Posix.system();

    @Test
    void readsAndWritesFromTheBuffersPositionThroughAnEventfd() {
        int fd = posix.eventfd(Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        try {
            ByteBuffer out = Posix.nativeBuffer(16);
            out.putLong(8, 5).position(8);
            assertThat(posix.write(fd, out, "eventfd")).isEqualTo(8);
            assertThat(out.position()).isEqualTo(16);

            ByteBuffer in = Posix.nativeBuffer(12);
            in.position(4);
            assertThat(posix.read(fd, in, "eventfd")).isEqualTo(8);
            assertThat(in.getLong(4)).isEqualTo(5);
            assertThat(in.getInt(0)).isZero();

            in.position(4);
            assertThat(posix.read(fd, in, "eventfd")).isEqualTo(Posix.WOULD_BLOCK);
        } finally {
            posix.close(fd, "eventfd");
        }
    }

    @Test
    void failedCallNamesTheCallTheErrnoAndTheAdvice() {
        assertThatThrownBy(() -> posix.open("/nonexistent/morgana", Posix.O_RDONLY,
                Advice.of(java.util.Map.of(Errno.ENOENT, "is the file in the image?"))))
                .isInstanceOf(SystemCallException.class)
                .hasMessage("open /nonexistent/morgana: ENOENT: is the file in the image?")
                .matches(e -> ((SystemCallException) e).is(Errno.ENOENT));
    }

    @Test
    void withoutAdviceTheMessageFallsBackToTheCLibrarysDescription() {
        assertThatThrownBy(() -> posix.open("/nonexistent/morgana", Posix.O_RDONLY, Advice.NONE))
                .hasMessage("open /nonexistent/morgana: ENOENT: No such file or directory");
    }

    @Test
    void findsTheLoopbackInterfaceByNameAndNotAMissingOne() {
        assertThat(posix.interfaceIndex("lo")).hasValue(1);
        assertThat(posix.interfaceIndex("morgana-none")).isEmpty();
    }

    @Test
    void pollTimesOutOnAnIdleDescriptorAndSeesInputOnAReadyOne() {
        int fd = posix.eventfd(Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        try {
            PollFds fds = PollFds.readable(fd);
            long start = System.nanoTime();
            assertThat(posix.poll(fds, 50)).isZero();
            assertThat(System.nanoTime() - start).isGreaterThan(40_000_000L);

            ByteBuffer one = Posix.nativeBuffer(8);
            one.putLong(0, 1);
            posix.write(fd, one, "eventfd");
            assertThat(posix.poll(fds, 1000)).isEqualTo(1);
            assertThat(fds.isReadable(0)).isTrue();
        } finally {
            posix.close(fd, "eventfd");
        }
    }
}
