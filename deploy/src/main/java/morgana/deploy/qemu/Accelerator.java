package morgana.deploy.qemu;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * How qemu runs the guest's instructions: KVM when this host can really use it, else TCG (emulation: slower
 * by an order of magnitude, but works everywhere).
 *
 * <p>An openable {@code /dev/kvm} is not enough: inside some VMs it exists while the CPU offers no
 * virtualization extensions, and a KVM guest then hangs right after the BIOS (or qemu aborts setting MSRs
 * with {@code -cpu host}). So KVM also needs the {@code vmx} (Intel) or {@code svm} (AMD) CPU flag.
 */
public enum Accelerator {
    KVM,
    TCG;

    public static final Path KVM_DEVICE = Path.of("/dev/kvm");
    public static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** What this host supports, unless {@code MORGANA_ACCEL} ({@code kvm} or {@code tcg}) says otherwise. */
    public static Accelerator forThisHost() {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(CPUINFO);
        } catch (IOException e) {
            cpuinfo = "";
        }
        return choose(System.getenv("MORGANA_ACCEL"), KVM_DEVICE, cpuinfo);
    }

    static Accelerator choose(String override, Path device, String cpuinfo) {
        if (override != null && !override.isBlank()) {
            return switch (override.strip().toLowerCase(Locale.ROOT)) {
                case "kvm" -> KVM;
                case "tcg" -> TCG;
                default -> throw new IllegalArgumentException(
                        "MORGANA_ACCEL must be kvm or tcg, not '" + override + "'; unset it to let morgana choose");
            };
        }
        return canOpenReadWrite(device) && hasVirtualizationFlag(cpuinfo) ? KVM : TCG;
    }

    /** True if {@code device} is a character device (not a file or directory) this process may open read-write. */
    static boolean canOpenReadWrite(Path device) {
        if (!Files.exists(device) || Files.isDirectory(device) || Files.isRegularFile(device)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.isOpen();
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** True if a {@code flags} line of {@code /proc/cpuinfo} names {@code vmx} or {@code svm}. */
    static boolean hasVirtualizationFlag(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags"))
                .map(line -> line.substring(line.indexOf(':') + 1))
                .flatMap(flags -> Arrays.stream(flags.trim().split("\\s+")))
                .anyMatch(flag -> flag.equals("vmx") || flag.equals("svm"));
    }

    public String qemuName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
