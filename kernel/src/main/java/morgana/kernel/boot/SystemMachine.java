package morgana.kernel.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SystemCallException;

/** {@link Machine} by system calls. */
public final class SystemMachine implements Machine {

    /** LINUX_REBOOT_CMD_POWER_OFF (linux/reboot.h); glibc's reboot(3) adds the magic numbers. */
    static final int POWER_OFF = 0x4321FEDC;
    /** LINUX_REBOOT_CMD_RESTART. */
    static final int RESTART = 0x01234567;
    /** LINUX_REBOOT_CMD_CAD_OFF: ctrl-alt-del sends SIGINT to PID 1 rather than rebooting at once. */
    static final int CAD_OFF = 0;
    /** USER_HZ on x86-64 and arm64: the unit of the times in /proc/[pid]/stat (proc(5)). */
    static final int CLOCK_TICKS_PER_SECOND = 100;
    /** MODULE_INIT_COMPRESSED_FILE (linux/module.h): the kernel decompresses the file itself (Linux 6.4+). */
    static final int MODULE_INIT_COMPRESSED_FILE = 4;

    private final Posix posix;

    public SystemMachine(Posix posix) {
        this.posix = posix;
    }

    public static SystemMachine system() {
        return new SystemMachine(Posix.system());
    }

    @Override
    public void mount(String source, String target, String fileSystemType, long flags) {
        try {
            Files.createDirectories(Path.of(target)); // an initramfs may lack the mount point
        } catch (IOException e) {
            // mount(2) will say what is wrong with the target
        }
        posix.mount(source, target, fileSystemType, flags, "mount " + fileSystemType + " on " + target,
                Advice.needs("root (CAP_SYS_ADMIN)").or(Advice.of(Map.of(
                        Errno.ENOENT, target + " does not exist in the initramfs",
                        Errno.ENODEV, "the kernel has no " + fileSystemType + " file system built in"))));
    }

    @Override
    public void setHostname(String hostname) {
        posix.sethostname(hostname);
    }

    @Override
    public void loadModule(String path) {
        int fd = posix.open(path, Posix.O_RDONLY | Posix.O_CLOEXEC, Advice.of(Map.of(
                Errno.ENOENT, "the module is not in the initramfs (check the image's driver list)")));
        try {
            posix.finitModule(fd, isCompressed(path) ? MODULE_INIT_COMPRESSED_FILE : 0, "finit_module " + path,
                    Advice.of(Map.of(
                            Errno.EEXIST, "already loaded",
                            Errno.ENOENT, "unknown symbol: a module it needs is not loaded yet (list it earlier)",
                            Errno.ENOEXEC, "not a module for this kernel (built for another version or architecture?)",
                            Errno.EPERM, "needs CAP_SYS_MODULE, or module loading is disabled or signatures enforced",
                            Errno.EKEYREJECTED, "the kernel enforces module signatures and rejected this one",
                            Errno.EBADMSG, "the kernel enforces module signatures and this one has none",
                            Errno.EINVAL, "the kernel cannot read this file (compressed in a format it cannot"
                                    + " decompress, or a bad ELF)")));
        } finally {
            posix.close(fd, path);
        }
    }

    @Override
    public boolean setSysctl(String name, String value) {
        Path file = Path.of("/proc/sys").resolve(name);
        if (!Files.exists(file)) {
            return false;
        }
        try {
            Files.writeString(file, value);
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }

    static boolean isCompressed(String path) {
        return path.endsWith(".ko.xz") || path.endsWith(".ko.zst") || path.endsWith(".ko.gz");
    }

    @Override
    public int pid() {
        return posix.pid();
    }

    @Override
    public void sync() {
        posix.sync();
    }

    @Override
    public void powerOff() {
        rebootCommand(POWER_OFF, "reboot POWER_OFF");
    }

    @Override
    public void reboot() {
        rebootCommand(RESTART, "reboot RESTART");
    }

    private void rebootCommand(int command, String what) {
        try {
            posix.reboot(command, what);
        } catch (SystemCallException e) {
            System.err.println("morgana: " + e.getMessage());
            System.err.flush();
        }
    }

    @Override
    public void sendCtrlAltDelToPid1() {
        posix.reboot(CAD_OFF, "reboot CAD_OFF");
    }

    @Override
    public void awaitEntropy() {
        posix.getRandom(morgana.kernel.sys.Posix.nativeBuffer(16), "getrandom");
    }

    @Override
    public Optional<String> clockSource() {
        Path sysfs = Path.of("/sys/devices/system/clocksource/clocksource0");
        Optional<String> current = read(sysfs.resolve("current_clocksource")).map(String::strip);
        Optional<String> available = read(sysfs.resolve("available_clocksource")).map(String::strip);
        return current.map(c -> c + available.map(a -> " (available: " + a + ")").orElse(""));
    }

    @Override
    public Optional<Duration> uptime() {
        return read(Path.of("/proc/uptime")).map(SystemMachine::parseUptime);
    }

    /** For PID 1 from the kernel's log ({@link KernelLog}); for any other process from /proc/self/stat. */
    @Override
    public Optional<Duration> uptimeAtProcessStart() {
        if (posix.pid() == 1) {
            return KernelLog.initStart(posix);
        }
        return read(Path.of("/proc/self/stat")).map(SystemMachine::parseStartTicks)
                .map(ticks -> Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND));
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code /proc/uptime}: seconds up, then seconds idle, both with two decimals. */
    static Duration parseUptime(String text) {
        String seconds = text.strip().split("\\s+")[0];
        return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
    }

    /**
     * Field 22, starttime, of {@code /proc/[pid]/stat}. Field 2 is the command name in parentheses and may hold
     * spaces and parentheses itself, so the count starts after its last ')'.
     */
    static long parseStartTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[22 - 3]);
    }
}
