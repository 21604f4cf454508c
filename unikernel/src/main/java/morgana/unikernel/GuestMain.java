package morgana.unikernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.server.BlogServerInitializer;
import morgana.kernel.boot.BootManifest;
import morgana.kernel.boot.Pid1;

/**
 * The guest's {@code main}: what Mirage generates as main.ml. The JVM runs it as PID 1; it hands the
 * kernel the blog's HTTP pipeline over the bundle the manifest names, and the kernel does the rest (mounts,
 * driver modules, the link, the stack, serving). It never returns: a fatal error powers the machine off.
 */
public final class GuestMain {

    /** Where the image builder puts the manifest when the command line names none. */
    static final Path DEFAULT_MANIFEST = Path.of("/morgana/boot.manifest");

    private GuestMain() {
    }

    public static void main(String[] args) {
        // Netty names channels after a machine id it derives from the network interfaces Java sees; in the
        // guest Java sees none (the NIC belongs to our stack), and Netty logs a stack trace when it finds none. Ids only
        // need to be unique within this one process, so any fixed value does.
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:00:00:01");
        }
        Path manifest = args.length > 0 ? Path.of(args[0]) : DEFAULT_MANIFEST;
        Pid1.boot(manifest, GuestMain::application);
    }

    /**
     * The blog over the bundle the manifest names. The bundle's bytes must hash to the manifest's
     * {@code bundle.sha256}: a bundle that is not the one the image was built with is refused, not served.
     */
    static BlogServerInitializer application(BootManifest manifest) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(manifest.bundlePath()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the site bundle " + manifest.bundlePath() + ": " + e.getMessage(), e);
        }
        manifest.bundleSha256().ifPresent(expected -> {
            String actual = sha256(bytes);
            if (!actual.equals(expected)) {
                throw new IllegalStateException("the site bundle " + manifest.bundlePath() + " has SHA-256 " + actual
                        + ", but the manifest was built for " + expected + ": the image is damaged or was altered");
            }
        });
        try {
            return new BlogServerInitializer(SiteBundle.readFrom(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the site bundle " + manifest.bundlePath() + ": " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
