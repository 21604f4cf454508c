package morgana.deploy.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.qemu.QemuBoot;
import morgana.deploy.qemu.RunningVm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "boot", description = "Boot a site (building its image first) or an image directory under qemu.")
final class BootCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SITE_OR_IMAGE",
            description = "A site directory (with morgana.yaml) or an image directory from `morgana image`.")
    Path source;

    @Option(names = "--port", defaultValue = "8080", description = "Host port on 127.0.0.1 forwarded to the guest.")
    int port;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where to build the image of a site (default: a directory under build/).")
    Path output;

    @Option(names = "--target", paramLabel = "qemu|xen|ec2",
            description = "As for `morgana image`: xen boots the vmlinux through qemu's PVH entry, ec2 the disk under OVMF.")
    String target;

    @Option(names = "--kernel", paramLabel = "PATH", description = "As for `morgana image`.")
    Path kernel;

    @Option(names = "--guest-lib", paramLabel = "DIR", description = "As for `morgana image`.")
    Path guestLib;

    @Override
    public Integer call() throws Exception {
        BuiltImage image;
        if (BuiltImage.isImageDir(source)) {
            image = BuiltImage.open(source);
        } else if (Files.isRegularFile(source.resolve("morgana.yaml"))) {
            Path dir = output != null ? output : Path.of("build", "image-" + source.toAbsolutePath().normalize().getFileName());
            image = ImageCommand.build(source, target, dir, kernel, guestLib);
        } else {
            throw new Morgana.UsageProblem(source + " is neither a site (no morgana.yaml) nor an image directory"
                    + " (no image.properties); pass examples/blog or the -o directory of `morgana image`");
        }
        PrintStream out = System.out;
        try (RunningVm vm = QemuBoot.start(image, port, image.dir().resolve("console.log"), Optional.of(out))) {
            System.err.printf("morgana: booting %s under qemu (%s); the blog will answer on %s%n", image.dir(),
                    vm.accelerator().qemuName(), vm.url());
            OptionalInt exit = vm.waitForExit(java.time.Duration.ofDays(365));
            int code = exit.orElse(0);
            if (code != 0 && vm.console().contains("Could not set up host forwarding rule")) {
                throw new Morgana.UsageProblem("port " + port + " on 127.0.0.1 is taken; stop what uses it or pass --port");
            }
            System.err.println("morgana: qemu exited with " + code);
            return code == 0 ? 0 : 1;
        }
    }
}
