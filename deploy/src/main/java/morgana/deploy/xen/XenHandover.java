package morgana.deploy.xen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageException;
import morgana.deploy.image.XlConfig;

/**
 * {@code morgana deploy xen}: hands a Xen image to a dom0 as a directory holding the PVH vmlinux, the
 * initramfs and an xl config whose paths point into that directory, so that one {@code xl create} starts
 * the domain from anywhere. Each copied file is checked against the SHA-256 the image recorded.
 */
public final class XenHandover {
    private static final Pattern PATH_KEY = Pattern.compile("^(kernel|ramdisk) = \"([^\"]*)\"$", Pattern.MULTILINE);

    private XenHandover() {
    }

    /** What was written: the directory, the config and the command that starts the domain. */
    public record Handed(Path dir, Path config, String command) {
    }

    public static Handed to(BuiltImage image, Path destination) throws IOException {
        if (!image.target().equals("xen")) {
            throw new ImageException(image.dir() + " is a " + image.target() + " image, not a Xen one");
        }
        Path dir = Files.createDirectories(destination).toAbsolutePath().normalize();
        Path kernel = copy(image.kernel(), dir, image.properties().get("kernel.sha256"));
        Path ramdisk = copy(image.initramfs(), dir, image.properties().get("initramfs.sha256"));
        String config = Files.readString(image.dir().resolve(XlConfig.FILE));
        Map<String, Path> placed = Map.of("kernel", kernel, "ramdisk", ramdisk);
        Matcher m = PATH_KEY.matcher(config);
        StringBuilder rewritten = new StringBuilder();
        int found = 0;
        while (m.find()) {
            found++;
            m.appendReplacement(rewritten, Matcher.quoteReplacement(m.group(1) + " = \"" + placed.get(m.group(1)) + "\""));
        }
        m.appendTail(rewritten);
        if (found != 2) {
            throw new ImageException(image.dir().resolve(XlConfig.FILE) + " has no kernel = and ramdisk = lines"
                    + " to point at " + dir + "; build the image again");
        }
        Path written = dir.resolve(XlConfig.FILE);
        Files.writeString(written, rewritten);
        return new Handed(dir, written, "xl create " + written);
    }

    private static Path copy(Path file, Path dir, String sha256) throws IOException {
        Path target = dir.resolve(file.getFileName());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        String copied = BuiltImage.sha256(target);
        if (sha256 != null && !sha256.equals(copied)) {
            throw new ImageException(target + " does not match the image's " + file.getFileName() + " (sha256 "
                    + copied + ", the image says " + sha256 + ")");
        }
        return target;
    }
}
