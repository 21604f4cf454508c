package morgana.deploy.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.KernelPackage;
import morgana.deploy.image.SiteImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image", description = "Build a site into a bootable image (kernel + initramfs).")
final class ImageCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SITE", description = "The site directory (with morgana.yaml).")
    Path site;

    @Option(names = "--target", defaultValue = "qemu", description = "The image kind; only qemu so far.")
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
        System.out.printf("morgana: image in %s (kernel %s, initramfs %s bytes)%n", image.dir(),
                image.properties().get("kernel.release"), image.properties().get("initramfs.size"));
        return 0;
    }

    static BuiltImage build(Path site, String target, Path output, Path kernel, Path guestLib) throws Exception {
        if (!target.equals("qemu")) {
            throw new Morgana.UsageProblem("--target " + target + " is not built yet; use --target qemu");
        }
        long start = System.nanoTime();
        BuiltImage image = SiteImages.qemu(site, new SiteImages.Request(output, Optional.ofNullable(kernel),
                guestLib != null ? guestLib : SiteImages.defaultGuestLib(), KernelPackage.defaultCacheDir()));
        System.err.printf("morgana: built %s image of %s in %.1f s%n", target, site, (System.nanoTime() - start) / 1e9);
        return image;
    }
}
