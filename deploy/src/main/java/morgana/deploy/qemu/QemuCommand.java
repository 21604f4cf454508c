package morgana.deploy.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageException;

/** The qemu command line that boots a {@link BuiltImage}: direct kernel boot, serial console, one virtio NIC. */
public final class QemuCommand {
    public static final String QEMU = "qemu-system-x86_64";
    /** Debian's {@code ovmf}: the firmware, read-only, and the variable store template each boot copies. */
    public static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    public static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

    private QemuCommand() {
    }

    /**
     * Two virtual CPUs when the host has two: even under TCG (multi-threaded since qemu 2.9) the JVM's
     * compiler and GC threads then run beside main, and the blog answers its first request in ~11 s instead of ~16 s.
     */
    public static int defaultCpus() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    public static List<String> forImage(BuiltImage image, int hostPort, Accelerator accelerator) throws IOException {
        return forImage(image, hostPort, accelerator, defaultCpus());
    }

    public static List<String> forImage(BuiltImage image, int hostPort, Accelerator accelerator, int cpus)
            throws IOException {
        return forImage(image, hostPort, accelerator, cpus, Optional.empty());
    }

    /**
     * @param hostPort the port on 127.0.0.1 that qemu's user-mode network forwards to the guest's port
     * @param monitor  a Unix socket for qemu's human monitor ({@link RunningVm#monitor}); the serial console
     *                 then has stdio to itself
     */
    public static List<String> forImage(BuiltImage image, int hostPort, Accelerator accelerator, int cpus,
                                        Optional<Path> monitor) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                QEMU,
                "-machine", "q35",
                "-accel", accelerator.qemuName(),
                "-m", Integer.toString(image.memoryMib()),
                "-smp", Integer.toString(cpus),
                "-nographic",
                "-no-reboot"));
        if (image.target().equals("ec2")) {
            // UEFI firmware boots the disk's EFI/BOOT/BOOTX64.EFI; the disk is only read, and the NIC is the boot
            // choice's second, so the firmware does not try the network first.
            command.addAll(List.of(
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + OVMF_CODE,
                    "-drive", "if=pflash,format=raw,unit=1,file=" + ovmfVars(image),
                    "-drive", "if=none,id=disk0,format=raw,readonly=on,file=" + image.disk(),
                    "-device", "virtio-blk-pci,drive=disk0,bootindex=0"));
        } else {
            // A bzImage boots through the Linux boot protocol; an ELF vmlinux (Xen) through its PVH entry note.
            command.addAll(List.of(
                    "-kernel", image.kernel().toString(),
                    "-initrd", image.initramfs().toString(),
                    "-append", image.commandLine()));
        }
        command.addAll(List.of(
                "-netdev", "user,id=net0,hostfwd=tcp:127.0.0.1:" + hostPort + "-:" + image.guestPort(),
                // No option ROM: the guest never boots from the network, and iPXE costs ~0.8 s of BIOS time under TCG.
                "-device", "virtio-net-pci,netdev=net0,romfile="));
        // Entropy from the host: a guest's random generator otherwise takes a second or more to seed under TCG.
        command.addAll(List.of("-device", "virtio-rng-pci"));
        monitor.ifPresent(socket -> command.addAll(List.of("-monitor", "unix:" + socket + ",server=on,wait=off")));
        if (accelerator == Accelerator.KVM) {
            // Under TCG, qemu's default CPU model is the one that boots fastest; with KVM, pass the host's through.
            command.addAll(List.of("-cpu", "host"));
        }
        return command;
    }

    /** A fresh copy of the UEFI variable store beside the image: the firmware writes to it, never to the template. */
    static Path ovmfVars(BuiltImage image) throws IOException {
        for (Path firmware : List.of(OVMF_CODE, OVMF_VARS)) {
            if (!Files.isRegularFile(firmware)) {
                throw new ImageException("no UEFI firmware at " + firmware + "; install Debian's ovmf (scripts/setup does)");
            }
        }
        Path vars = image.dir().resolve("ovmf-vars.fd");
        Files.copy(OVMF_VARS, vars, StandardCopyOption.REPLACE_EXISTING);
        return vars;
    }
}
