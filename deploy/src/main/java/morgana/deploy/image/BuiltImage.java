package morgana.deploy.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image directory as {@code morgana image} writes it (any target) and {@code morgana boot} reads it. */
public record BuiltImage(Path dir, Map<String, String> properties) {
    public static final String KERNEL = "vmlinuz";
    public static final String INITRAMFS = "initramfs.cpio.zst";
    public static final String CMDLINE = "cmdline";
    public static final String PROPERTIES = "image.properties";
    /** The EC2 target's raw GPT disk. */
    public static final String DISK = "disk.raw";

    public BuiltImage {
        properties = Map.copyOf(properties);
    }

    /** Reads an image directory; fails with what is missing if it is not one. */
    public static BuiltImage open(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(PROPERTIES))) {
            throw new ImageException(dir + " is not a Morgana image: it has no " + PROPERTIES
                    + "; build one with `morgana image SITE -o " + dir + "`");
        }
        Map<String, String> properties = readProperties(dir.resolve(PROPERTIES));
        BuiltImage image = new BuiltImage(dir, properties);
        List<String> needed = image.target().equals("ec2")
                ? List.of(DISK)
                : List.of(properties.getOrDefault("kernel.file", KERNEL), INITRAMFS, CMDLINE);
        for (String name : needed) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new ImageException(dir + " is not a complete Morgana " + image.target() + " image: it has no "
                        + name + "; build it again with `morgana image SITE --target " + image.target() + " -o " + dir + "`");
            }
        }
        return image;
    }

    static Map<String, String> readProperties(Path file) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                properties.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return properties;
    }

    public static boolean isImageDir(Path dir) {
        return Files.isRegularFile(dir.resolve(PROPERTIES));
    }

    /** qemu, xen or ec2. */
    public String target() {
        return properties.getOrDefault("target", "qemu");
    }

    /** The kernel qemu's {@code -kernel} loads: the bzImage, or for Xen the vmlinux ELF (through its PVH entry). */
    public Path kernel() {
        return dir.resolve(properties.getOrDefault("kernel.file", KERNEL));
    }

    /** The EC2 target's disk. */
    public Path disk() {
        return dir.resolve(DISK);
    }

    public Path initramfs() {
        return dir.resolve(INITRAMFS);
    }

    public String commandLine() throws IOException {
        return Files.readString(dir.resolve(CMDLINE)).strip();
    }

    public int memoryMib() {
        return Integer.parseInt(properties.getOrDefault("memory.mib", "512"));
    }

    public int guestPort() {
        return Integer.parseInt(properties.getOrDefault("guest.port", "80"));
    }

    static void writeProperties(Path file, Map<String, String> properties) throws IOException {
        // Not java.util.Properties.store: it writes the current date, and the image should not change with it.
        StringBuilder text = new StringBuilder("# Morgana image; written by `morgana image`\n");
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text);
    }

    public static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
