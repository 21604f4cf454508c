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
import morgana.netstack.wire.MacAddress;

/** Builds a site into a bootable image: bundle, boot manifest and kernel modules, handed to {@link QemuImage} and, for Xen and EC2, repackaged. */
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
        return build(site, Optional.of(new ImageTarget.Qemu()), request);
    }

    /**
     * Builds {@code site} for {@code target}, or for the target its {@code morgana.yaml} names. Every target
     * starts from the same kernel + initramfs; Xen and EC2 then repackage them.
     */
    public static BuiltImage build(Path site, Optional<ImageTarget> target, Request request)
            throws IOException, SiteException {
        SiteConfig config = SiteConfig.load(site);
        ImageSettings settings = ImageSettings.from(config);
        ImageTarget chosen = target.orElseGet(() -> ImageTarget.named(settings.target()));
        KernelPackage kernel = request.kernel().isPresent()
                ? KernelPackage.open(request.kernel().get())
                : KernelPackage.fromCache(request.cacheDir());
        List<String> wanted = new java.util.ArrayList<>(settings.modulesToLoad());
        chosen.drivers().stream().filter(d -> !wanted.contains(d)).forEach(wanted::add);
        List<KernelModule> modules = kernel.resolve(wanted);
        SiteBundle bundle = SiteBuilder.build(site);
        Optional<String> mac = chosen instanceof ImageTarget.Xen
                ? Optional.of(XlConfig.macFor(settings.hostname()))
                : Optional.empty();
        String manifest = manifest(settings, modules, mac);
        QemuImage image = new QemuImage(kernel, modules, request.guestLib(),
                GuestLaunch.unikernel(GuestLaunch.heapFor(settings.memoryMib())), settings.memoryMib(), settings.port(),
                request.cacheDir());
        BuiltImage built = image.writeTo(request.outDir(), bundle.toBytes(), manifest, chosen);
        return switch (chosen) {
            case ImageTarget.Qemu q -> BuiltImage.open(built.dir());
            case ImageTarget.Xen x -> XenImage.finish(built, kernel, settings.hostname(), mac.orElseThrow(), 2);
            case ImageTarget.Ec2 e -> Ec2Image.finish(built, UnifiedKernelImage.DEFAULT_STUB, settings.hostname());
        };
    }

    /** The boot manifest text for these settings, naming the modules where the image puts them. */
    static String manifest(ImageSettings settings, List<KernelModule> modules) throws IOException {
        return manifest(settings, modules, Optional.empty());
    }

    static String manifest(ImageSettings settings, List<KernelModule> modules, Optional<String> mac) throws IOException {
        BootManifest manifest = new BootManifest(settings.hostname(), "eth0",
                modules.stream().map(m -> GuestLaunch.MODULES_DIR + "/" + m.imageFileName()).toList(),
                settings.address(), settings.gateway(), settings.port(), GuestLaunch.BUNDLE,
                mac.map(MacAddress::parse));
        StringWriter text = new StringWriter();
        manifest.write(text);
        return text.toString();
    }
}
