package morgana.deploy.image;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.kernel.boot.BootManifest;

/** Builds a site into a bootable image: bundle, boot manifest and kernel modules, handed to {@link QemuImage}. */
public final class SiteImages {

    private SiteImages() {
    }

    /**
     * What an image build takes besides the site.
     *
     * @param kernel   a kernel image or unpacked package the user named; empty: the one scripts/setup cached
     * @param guestLib the guest's class path directory (the unikernel's jar and its runtime dependencies)
     * @param cacheDir where the kernel package and linked runtimes live ({@link KernelPackage#defaultCacheDir()})
     */
    public record Request(Path outDir, Optional<Path> kernel, Path guestLib, Path cacheDir) {
    }

    /** {@code morgana.guest.lib} if set, else {@code unikernel/target/guest/lib} under {@code morgana.root} (or "."). */
    public static Path defaultGuestLib() {
        String property = System.getProperty("morgana.guest.lib");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return Path.of(System.getProperty("morgana.root", ".")).resolve("unikernel/target/guest/lib").toAbsolutePath();
    }

    public static BuiltImage qemu(Path site, Request request) throws IOException, SiteException {
        SiteConfig config = SiteConfig.load(site);
        ImageSettings settings = ImageSettings.from(config);
        KernelPackage kernel = request.kernel().isPresent()
                ? KernelPackage.open(request.kernel().get())
                : KernelPackage.fromCache(request.cacheDir());
        List<KernelModule> modules = kernel.resolve(settings.modulesToLoad());
        SiteBundle bundle = SiteBuilder.build(site);
        String manifest = manifest(settings, modules);
        QemuImage image = new QemuImage(kernel, modules, request.guestLib(),
                GuestLaunch.unikernel(GuestLaunch.heapFor(settings.memoryMib())), settings.memoryMib(), settings.port(),
                request.cacheDir());
        return image.writeTo(request.outDir(), bundle.toBytes(), manifest);
    }

    /** The boot manifest text for these settings, naming the modules where the image puts them. */
    static String manifest(ImageSettings settings, List<KernelModule> modules) throws IOException {
        BootManifest manifest = new BootManifest(settings.hostname(), "eth0",
                modules.stream().map(m -> GuestLaunch.MODULES_DIR + "/" + m.imageFileName()).toList(),
                settings.address(), settings.gateway(), settings.port(), GuestLaunch.BUNDLE, Optional.empty());
        StringWriter text = new StringWriter();
        manifest.write(text);
        return text.toString();
    }
}
