package morgana.deploy.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.List;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import morgana.deploy.image.KernelPackage;
import morgana.deploy.image.SiteImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image", description = "Build a site into a bootable image: kernel + initramfs (qemu),"
        + " a PVH vmlinux + initramfs + xl config (xen), or a UEFI GPT disk (ec2).")
final class ImageCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SITE", description = "The site directory (with morgana.yaml).")
    Path site;

    @Option(names = "--target", paramLabel = "qemu|xen|ec2",
            description = "Where the image boots; default: image.target in morgana.yaml, else qemu.")
    String target;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "build/image",
            description = "The image directory to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--kernel", paramLabel = "PATH",
            description = "A kernel image or unpacked linux-image package; default: the one scripts/setup cached.")
    Path kernel;

    @Option(names = "--guest-lib", paramLabel = "DIR",
            description = "The guest's jars; default: -Dmorgana.guest.lib or unikernel/target/guest/lib.")
    Path guestLib;

    @Override
    public Integer call() throws Exception {
        BuiltImage image = build(site, target, output, kernel, guestLib);
        if (image.target().equals("ec2")) {
            System.out.printf("morgana: ec2 image in %s (disk %s, %s bytes used of %s, sha256 %s)%n", image.dir(),
                    image.disk(), image.properties().get("disk.used"), image.properties().get("disk.size"),
                    image.properties().get("disk.sha256"));
        } else {
            System.out.printf("morgana: %s image in %s (kernel %s, %s bytes; initramfs %s bytes)%n", image.target(),
                    image.dir(), image.properties().get("kernel.release"), image.properties().get("kernel.size"),
                    image.properties().get("initramfs.size"));
        }
        return 0;
    }

    static BuiltImage build(Path site, String target, Path output, Path kernel, Path guestLib) throws Exception {
        Optional<ImageTarget> chosen = Optional.empty();
        if (target != null) {
            if (!List.of("qemu", "xen", "ec2").contains(target)) {
                throw new Morgana.UsageProblem("--target must be qemu, xen or ec2, not " + target);
            }
            chosen = Optional.of(ImageTarget.named(target));
        }
        long start = System.nanoTime();
        BuiltImage image = SiteImages.build(site, chosen, new SiteImages.Request(output, Optional.ofNullable(kernel),
                guestLib != null ? guestLib : SiteImages.defaultGuestLib(), KernelPackage.defaultCacheDir()));
        System.err.printf("morgana: built %s image of %s in %.1f s%n", image.target(), site,
                (System.nanoTime() - start) / 1e9);
        return image;
    }
}
