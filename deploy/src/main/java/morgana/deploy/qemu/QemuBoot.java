package morgana.deploy.qemu;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageException;

/**
 * Boots a Morgana qemu image: {@code qemu-system-x86_64} with the image's kernel and initramfs, the serial
 * console on a pipe, the monitor on a Unix socket, and a user-mode NIC that forwards {@code 127.0.0.1:hostPort} to the guest's HTTP port.
 */
public final class QemuBoot {

    private QemuBoot() {
    }

    /** Starts qemu on {@code imageDir}; the console goes to {@code consoleLog} and {@link RunningVm#console()}. */
    public static RunningVm start(Path imageDir, int hostPort, Path consoleLog) throws IOException {
        return start(BuiltImage.open(imageDir), hostPort, consoleLog, Optional.empty());
    }

    /** As {@link #start(Path, int, Path)}, also echoing the console to {@code echo} (the CLI's stdout). */
    public static RunningVm start(BuiltImage image, int hostPort, Path consoleLog, Optional<PrintStream> echo)
            throws IOException {
        return start(image, hostPort, consoleLog, echo, List.of());
    }

    /**
     * As {@link #start(BuiltImage, int, Path, Optional)}, with qemu run under {@code wrapper}, such as
     * {@code ip netns exec NS}: its host port forward then listens in that network namespace.
     */
    public static RunningVm start(BuiltImage image, int hostPort, Path consoleLog, Optional<PrintStream> echo,
                                  List<String> wrapper) throws IOException {
        Accelerator accelerator = Accelerator.forThisHost();
        // Its own directory: a Unix socket path has room for 107 bytes, and an image directory may be deep.
        Path monitor = Files.createTempDirectory("morgana-qemu-").resolve("monitor.sock");
        List<String> command = new java.util.ArrayList<>(wrapper);
        command.addAll(QemuCommand.forImage(image, hostPort, accelerator, QemuCommand.defaultCpus(),
                Optional.of(monitor)));
        Process process;
        long startNanos = System.nanoTime();
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new ImageException("cannot start " + QemuCommand.QEMU + " (" + e.getMessage()
                    + "); install it with `apt-get install qemu-system-x86` or run scripts/setup", e);
        }
        return new RunningVm(process, startNanos, command, accelerator, hostPort, consoleLog, echo, monitor);
    }
}
