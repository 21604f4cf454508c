package morgana.deploy.qemu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import morgana.deploy.image.BuiltImage;

/** The qemu command line that boots a {@link BuiltImage}: direct kernel boot, serial console, one virtio NIC. */
public final class QemuCommand {
    public static final String QEMU = "qemu-system-x86_64";

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

    /**
     * @param hostPort the port on 127.0.0.1 that qemu's user-mode network forwards to the guest's port
     */
    public static List<String> forImage(BuiltImage image, int hostPort, Accelerator accelerator, int cpus)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                QEMU,
                "-machine", "q35",
                "-accel", accelerator.qemuName(),
                "-m", Integer.toString(image.memoryMib()),
                "-smp", Integer.toString(cpus),
                "-nographic",
                "-no-reboot",
                "-kernel", image.kernel().toString(),
                "-initrd", image.initramfs().toString(),
                "-append", image.commandLine(),
                "-netdev", "user,id=net0,hostfwd=tcp:127.0.0.1:" + hostPort + "-:" + image.guestPort(),
                // No option ROM: the guest never boots from the network, and iPXE costs ~0.8 s of BIOS time under TCG.
                "-device", "virtio-net-pci,netdev=net0,romfile="));
        if (accelerator == Accelerator.KVM) {
            // Under TCG, qemu's default CPU model is the one that boots fastest; with KVM, pass the host's through.
            command.addAll(List.of("-cpu", "host"));
        }
        return command;
    }
}
