package morgana.e2e.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import morgana.deploy.image.KernelPackage;
import morgana.deploy.image.SiteImages;
import morgana.e2e.ExampleBlog;

/** Copies of the example blog with another {@code image:} section, built into qemu images, for the boot tests. */
final class BootSites {

    private BootSites() {
    }

    /** The example blog in {@code dir}, its {@code image:} section replaced by {@code imageSection} (indented YAML). */
    static Path exampleWithImage(Path dir, String imageSection) throws IOException {
        Path source = ExampleBlog.site();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = dir.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        String config = Files.readString(dir.resolve("morgana.yaml"));
        int image = config.indexOf("\nimage:");
        String head = image < 0 ? config : config.substring(0, image + 1);
        Files.writeString(dir.resolve("morgana.yaml"), head + "image:\n" + imageSection);
        return dir;
    }

    /** Adds a post of about {@code bytes} of text (seeded, so every run builds the same page); returns its slug. */
    static String addLongPost(Path site, int bytes) throws IOException {
        String[] words = {"frame", "window", "segment", "kernel", "buffer", "acknowledges", "the", "a", "slowly",
                "retransmits", "checksum", "listens", "PID", "one", "wire", "packet", "queue", "drains"};
        Random random = new Random(20_260_501L);
        StringBuilder text = new StringBuilder("---\ntitle: A Very Long Read\ndate: 2026-05-01\n"
                + "summary: Enough words to keep a download busy.\n---\n\n");
        while (text.length() < bytes) {
            for (int i = 0; i < 80; i++) {
                text.append(words[random.nextInt(words.length)]).append(i == 79 ? ".\n\n" : " ");
            }
        }
        Files.writeString(site.resolve("posts/2026-05-01-a-very-long-read.md"), text);
        return "a-very-long-read";
    }

    static BuiltImage qemuImage(Path site, Path outDir) throws Exception {
        return SiteImages.build(site, Optional.of(new ImageTarget.Qemu()), new SiteImages.Request(outDir,
                Optional.empty(), SiteImages.defaultGuestLib(), KernelPackage.defaultCacheDir()));
    }
}
