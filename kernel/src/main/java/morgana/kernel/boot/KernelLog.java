package morgana.kernel.boot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SystemCallException;

/**
 * The kernel's own log ({@code /dev/kmsg}), read for the one record that dates the hand-over to init:
 * {@code Run /jre/bin/java as init process} (init/main.c, logged even under {@code quiet}). For PID 1 that is
 * when the JVM started: /proc/1/stat would give the time PID 1 was forked as a kernel thread, long before.
 */
final class KernelLog {

    /** More records than a boot logs: the reading stops here whatever happens. */
    private static final int MAX_RECORDS = 20_000;

    private KernelLog() {
    }

    /** The kernel's uptime when it started init, if its record is still in the log. */
    static Optional<Duration> initStart(Posix posix) {
        int fd;
        try {
            fd = posix.open("/dev/kmsg", Posix.O_RDONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC, Advice.NONE);
        } catch (SystemCallException e) {
            return Optional.empty();
        }
        try {
            ByteBuffer record = Posix.nativeBuffer(8192);
            for (int i = 0; i < MAX_RECORDS; i++) {
                record.clear();
                int n;
                try {
                    n = posix.read(fd, record, "/dev/kmsg");
                } catch (SystemCallException overwritten) { // EPIPE: the ring moved past us; the next read goes on
                    continue;
                }
                if (n <= 0) {
                    return Optional.empty();
                }
                byte[] bytes = new byte[n];
                record.flip().get(bytes);
                Optional<Duration> start = initStart(new String(bytes, StandardCharsets.UTF_8));
                if (start.isPresent()) {
                    return start;
                }
            }
            return Optional.empty();
        } finally {
            posix.close(fd, "/dev/kmsg");
        }
    }

    /**
     * One /dev/kmsg record, {@code <level>,<sequence>,<microseconds>,<flags>;<message>} (the ABI's
     * Documentation/ABI/testing/dev-kmsg): its time if it is the init record.
     */
    static Optional<Duration> initStart(String record) {
        int semicolon = record.indexOf(';');
        if (semicolon < 0) {
            return Optional.empty();
        }
        String message = record.substring(semicolon + 1);
        if (!message.startsWith("Run ") || !message.contains(" as init process")) {
            return Optional.empty();
        }
        String[] fields = record.substring(0, semicolon).split(",");
        try {
            return fields.length < 3 ? Optional.empty() : Optional.of(Duration.of(Long.parseLong(fields[2]), ChronoUnit.MICROS));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
