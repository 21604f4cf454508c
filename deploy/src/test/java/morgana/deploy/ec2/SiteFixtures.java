package morgana.deploy.ec2;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.site.SiteBuilder;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import morgana.deploy.image.KernelPackage;
import morgana.deploy.image.SiteImages;

/** The sites and disks the deploy tests use: the example blog, its real EC2 disk, and small stand-ins. */
final class SiteFixtures {
    private static BuiltImage exampleImage;

    private SiteFixtures() {
    }

    static Path exampleSite() {
        // Surefire runs with the module directory (deploy/) as the working directory.
        return Path.of("..", "examples", "blog").toAbsolutePath().normalize();
    }

    static SiteBundle exampleBundle() throws Exception {
        return SiteBuilder.build(exampleSite());
    }

    /** The example blog built for EC2 (a raw GPT/UEFI disk), once per test JVM: it takes a while. */
    static synchronized BuiltImage exampleEc2Image() throws Exception {
        if (exampleImage == null) {
            Path out = Files.createTempDirectory("morgana-ec2-image");
            Path guestLib = Path.of("..", "unikernel", "target", "guest", "lib").toAbsolutePath().normalize();
            exampleImage = SiteImages.build(exampleSite(), Optional.of(new ImageTarget.Ec2()),
                    new SiteImages.Request(out.resolve("image"), Optional.empty(), guestLib,
                            KernelPackage.defaultCacheDir()));
        }
        return exampleImage;
    }

    /** A site live with a one-page bundle, to be replaced by the example blog built onto a small disk. */
    record Update(SiteBundle oldSite, SiteBundle newSite, Path disk) {
    }

    static Update update(Path dir) throws Exception {
        return new Update(onePageBundle("old"), exampleBundle(), smallDisk(dir, "new"));
    }

    /** A one-page bundle: the site as an earlier deploy left it. */
    static SiteBundle onePageBundle(String text) {
        return SiteBundle.of(List.of(BundleEntry.of("/index.html", ContentTypes.HTML,
                ("<!doctype html><title>" + text + "</title><p>" + text).getBytes(StandardCharsets.UTF_8))));
    }

    /** A sparse 1 GiB disk with data in three blocks, the shape of the real one, written in a moment. */
    static Path smallDisk(Path dir, String seed) throws IOException {
        Path disk = dir.resolve("disk-" + seed + ".raw");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(1L << 30);
            for (long block : new long[] {0, 1, 2047}) {
                file.seek(block * SnapshotUpload.BLOCK_SIZE + 100);
                file.write((seed + " block " + block).getBytes(StandardCharsets.UTF_8));
            }
        }
        return disk;
    }
}
