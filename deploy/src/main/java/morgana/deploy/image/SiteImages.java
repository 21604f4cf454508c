package morgana.deploy.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
        requireConfig(site);
        SiteConfig config = SiteConfig.load(site);
        ImageSettings settings = ImageSettings.from(config);
        ImageTarget chosen = target.orElseGet(() -> ImageTarget.named(settings.target()));
        KernelPackage kernel = request.kernel().isPresent()
                ? KernelPackage.open(request.kernel().get())
                : KernelPackage.fromCache(request.cacheDir());
        requireDrivers(config, settings, chosen, kernel);
        List<String> wanted = new java.util.ArrayList<>(settings.modulesToLoad());
        chosen.drivers().stream().filter(d -> !wanted.contains(d)).forEach(wanted::add);
        List<KernelModule> modules = kernel.resolve(wanted);
        byte[] bundle = SiteBuilder.build(site).toBytes();
        Optional<String> mac = chosen instanceof ImageTarget.Xen
                ? Optional.of(XlConfig.macFor(settings.hostname()))
                : Optional.empty();
        String manifest = manifest(settings, chosen, modules, mac, bundle).text();
        QemuImage image = new QemuImage(kernel, modules, request.guestLib(),
                GuestLaunch.unikernel(GuestLaunch.heapFor(settings.memoryMib())), settings.memoryMib(), settings.port(),
                request.cacheDir());
        BuiltImage built = image.writeTo(request.outDir(), bundle, manifest, chosen);
        return switch (chosen) {
            case ImageTarget.Qemu q -> BuiltImage.open(built.dir());
            case ImageTarget.Xen x -> XenImage.finish(built, kernel, settings.hostname(), mac.orElseThrow(), 2);
            case ImageTarget.Ec2 e -> Ec2Image.finish(built, UnifiedKernelImage.DEFAULT_STUB, settings.hostname());
        };
    }

    /** The Mirage-style answer to a site without its configuration: which file, and the command that writes one. */
    static void requireConfig(Path site) {
        Path file = site.resolve(SiteConfig.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ImageException(file + " is missing: an image is built from a site's " + SiteConfig.FILE_NAME
                    + "; `morgana new " + site + "` writes a working one");
        }
    }

    /**
     * Every driver the site names must be in the chosen kernel, as a module (modules.dep) or built in; found
     * now, with the line of morgana.yaml that names it, rather than as a missing NIC at boot.
     */
    static void requireDrivers(SiteConfig config, ImageSettings settings, ImageTarget target, KernelPackage kernel)
            throws SiteException {
        if (kernel.modulesDir().isEmpty()) {
            return; // a bare kernel image: nothing to check against, every driver must be built in
        }
        for (int i = 0; i < settings.drivers().size(); i++) {
            String driver = settings.drivers().get(i);
            if (!kernel.hasModule(driver) && !kernel.isBuiltin(driver)) {
                String key = config.lineOf("image.drivers." + i).isPresent() ? "image.drivers." + i : "image.drivers";
                throw config.error(key, "image.drivers names " + driver + ", which kernel " + kernel.release()
                        + " has neither as a module (" + kernel.modulesDir().get().resolve("modules.dep")
                        + ") nor built in; expected a NIC driver module such as virtio_net, ena or xen-netfront");
            }
        }
        for (String driver : target.drivers()) {
            if (!kernel.hasModule(driver) && !kernel.isBuiltin(driver)) {
                throw new ImageException("the " + target.name() + " target needs the driver " + driver + ", which kernel "
                        + kernel.release() + " lacks; pass another kernel with --kernel");
            }
        }
    }

    /** The boot manifest for these settings, naming the modules where the image puts them. */
    static BootManifest manifest(ImageSettings settings, ImageTarget target, List<KernelModule> modules,
                                 Optional<String> mac, byte[] bundle) {
        return new BootManifest(settings.hostname(), settings.nic(),
                modules.stream().map(m -> GuestLaunch.MODULES_DIR + "/" + m.imageFileName()).toList(),
                mac.map(MacAddress::parse), settings.addressing(), settings.ports(), GuestLaunch.BUNDLE,
                Optional.of(HexFormat.of().formatHex(BuiltImage.sha256Bytes(bundle))),
                settings.policy(target.consoles().getLast()));
    }
}
