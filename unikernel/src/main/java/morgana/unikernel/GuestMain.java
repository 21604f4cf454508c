package morgana.unikernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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

    static BlogServerInitializer application(BootManifest manifest) {
        try {
            return new BlogServerInitializer(SiteBundle.readFrom(Path.of(manifest.bundlePath())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the site bundle " + manifest.bundlePath() + ": " + e.getMessage(), e);
        }
    }
}
