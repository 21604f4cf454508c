package morgana.kernel.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import morgana.kernel.sys.Advice;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SystemCallException;

/** {@link Machine} by system calls. */
public final class SystemMachine implements Machine {

    /** LINUX_REBOOT_CMD_POWER_OFF (linux/reboot.h); glibc's reboot(3) adds the magic numbers. */
    static final int POWER_OFF = 0x4321FEDC;
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
        try {
            posix.reboot(POWER_OFF, "reboot POWER_OFF");
        } catch (SystemCallException e) {
            System.err.println("morgana: " + e.getMessage());
            System.err.flush();
        }
    }
}
