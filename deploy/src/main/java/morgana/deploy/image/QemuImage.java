package morgana.deploy.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import morgana.kernel.boot.GuestJvm;

/**
 * The qemu image: a kernel and an initramfs that holds everything the guest runs, and the command line
 * that starts the JVM as PID 1.
 *
 * <pre>
 * /jre/...               the jlinked runtime          /app/lib/*.jar        the guest's class path
 * /lib/x86_64-linux-gnu  glibc, from the host         /lib/modules/*.ko     NIC drivers, uncompressed
 * /lib64/ld-linux-...    the dynamic loader           /morgana/             site.bundle, boot.manifest, jvm.args
 * /dev/console           so PID 1 has fds 0, 1, 2     /proc /sys /tmp       mount points, empty
 * </pre>
 *
 * The same inputs give the same bytes: entries are written in a fixed order with fixed metadata.
 */
public record QemuImage(KernelPackage kernel, List<KernelModule> modules, Path guestLib, GuestLaunch launch,
                        int memoryMib, int guestPort, Path cacheDir) {

    /** Compressed-oops CDS is what a heap under 32 GiB maps; the no-coops archive would only take RAM. */
    private static final String UNUSED_CDS_ARCHIVE = "lib/server/classes_nocoops.jsa";
    private static final String CDS_ARCHIVE = "lib/server/classes.jsa";

    public QemuImage {
        modules = List.copyOf(modules);
    }

    /** The jars of the guest's class path, sorted by name. */
    public List<Path> guestJars() throws IOException {
        if (!Files.isDirectory(guestLib)) {
            throw new ImageException("no guest class path at " + guestLib + "; build it with"
                    + " `mvn -pl unikernel -am package` (or pass --guest-lib DIR)");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(guestLib)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new ImageException("no jars in " + guestLib + "; build the unikernel module first"
                    + " (`mvn -pl unikernel -am package`)");
        }
        return jars;
    }

    /** Writes {@code vmlinuz}, {@code initramfs.cpio.zst}, {@code cmdline} and {@code image.properties} to {@code outDir}. */
    public BuiltImage writeTo(Path outDir, byte[] siteBundle, String bootManifest) throws IOException {
        return writeTo(outDir, siteBundle, bootManifest, new ImageTarget.Qemu());
    }

    /**
     * As {@link #writeTo(Path, byte[], String)}, with the consoles of {@code target} on the command line and
     * its name in the properties; {@link XenImage} and {@link Ec2Image} turn the result into their forms.
     */
    public BuiltImage writeTo(Path outDir, byte[] siteBundle, String bootManifest, ImageTarget target)
            throws IOException {
        List<Path> allJars = guestJars();
        Optional<byte[]> jffiStub = jffiStub(allJars);
        // A jar of native libraries only (jffi's, for every platform) is dead weight once its stub is unpacked.
        List<Path> jars = new ArrayList<>();
        for (Path jar : allJars) {
            if (hasClasses(jar)) {
                jars.add(jar);
            }
        }
        requireMainClass(jars);
        JlinkRuntime runtime = JlinkRuntime.forJars(jars, cacheDir);
        Map<String, Path> hostLibraries = HostLibraries.neededBy(runtime.home());
        Optional<Path> aotCache = AotCache.forGuest(runtime, hostLibraries, jars, jffiStub, siteBundle, launch, cacheDir);
        Files.createDirectories(outDir);

        Path initramfs = outDir.resolve(BuiltImage.INITRAMFS);
        Path partial = outDir.resolve(BuiltImage.INITRAMFS + ".partial");
        Path raw = outDir.resolve("initramfs.cpio.partial");
        try (OutputStream file = new java.io.BufferedOutputStream(Files.newOutputStream(raw), 1 << 16);
             CpioWriter cpio = new CpioWriter(file)) {
            writeSkeleton(cpio);
            // With an AOT cache the JDK's own CDS archive is dead weight: the cache holds the JDK's classes too.
            writeTree(cpio, runtime.home(), GuestLaunch.RUNTIME_DIR,
                    aotCache.isPresent() ? List.of(UNUSED_CDS_ARCHIVE, CDS_ARCHIVE) : List.of(UNUSED_CDS_ARCHIVE));
            for (Map.Entry<String, Path> library : hostLibraries.entrySet()) {
                cpio.file(library.getKey(), 0755, library.getValue());
            }
            List<String> jarNames = new ArrayList<>();
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                jarNames.add(name);
                cpio.file(GuestLaunch.APP_LIB_DIR + "/" + name, 0644, jar);
            }
            if (jffiStub.isPresent()) {
                cpio.file(GuestLaunch.NATIVE_DIR + "/" + GuestJvm.JFFI_STUB_FILE, 0755, jffiStub.get());
            }
            for (KernelModule module : modules) {
                cpio.file(GuestLaunch.MODULES_DIR + "/" + module.imageFileName(), 0644, module.bytes());
            }
            cpio.file(GuestLaunch.BUNDLE, 0644, siteBundle);
            cpio.file(GuestLaunch.MANIFEST, 0644, bootManifest.getBytes(StandardCharsets.UTF_8));
            if (aotCache.isPresent()) {
                cpio.file(GuestLaunch.AOT_CACHE, 0644, aotCache.get());
            }
            cpio.file(GuestLaunch.ARGFILE, 0644, launch.argFile(jarNames, aotCache.isPresent())
                    .getBytes(StandardCharsets.UTF_8));
        }
        InitramfsCompression.zstd(raw, partial);
        Files.delete(raw);
        Files.move(partial, initramfs, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(kernel.vmlinuz(), outDir.resolve(BuiltImage.KERNEL), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(outDir.resolve(BuiltImage.CMDLINE), launch.kernelCommandLine(target.consoles()) + "\n");

        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("target", target.name());
        properties.put("kernel.release", kernel.release());
        properties.put("kernel.size", Long.toString(Files.size(outDir.resolve(BuiltImage.KERNEL))));
        properties.put("kernel.sha256", BuiltImage.sha256(outDir.resolve(BuiltImage.KERNEL)));
        properties.put("initramfs.size", Long.toString(Files.size(initramfs)));
        properties.put("initramfs.sha256", BuiltImage.sha256(initramfs));
        properties.put("memory.mib", Integer.toString(memoryMib));
        properties.put("guest.port", Integer.toString(guestPort));
        properties.put("modules", String.join(",", modules.stream().map(KernelModule::name).toList()));
        properties.put("jdk.modules", String.join(",", runtime.modules()));
        properties.put("main.class", launch.mainClass());
        properties.put("aot.cache", aotCache.isPresent() ? BuiltImage.sha256(aotCache.get()) : "none");
        BuiltImage.writeProperties(outDir.resolve(BuiltImage.PROPERTIES), properties);
        return new BuiltImage(outDir, properties); // not open(): another target's files come next

    }

    /** Fails now, with what to do, rather than at boot with a ClassNotFoundException on the console. */
    private void requireMainClass(List<Path> jars) throws IOException {
        if (hasClass(jars, launch.mainClass())) {
            return;
        }
        throw new ImageException("no jar in " + guestLib + " has the guest's main class " + launch.mainClass()
                + "; rebuild the guest class path (`mvn -pl unikernel -am package`) or pass --guest-lib DIR");
    }

    static boolean hasClasses(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().endsWith(".class"));
        }
    }

    static boolean hasClass(List<Path> jars, String className) throws IOException {
        String entry = className.replace('.', '/') + ".class";
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                if (zip.getEntry(entry) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * jffi's native stub, from the guest jar that carries it: jffi would otherwise copy it out of the jar
     * into /tmp at every boot, slowly under emulation. Empty if no guest jar has it (a guest without jnr-ffi).
     */
    static Optional<byte[]> jffiStub(List<Path> jars) throws IOException {
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(GuestJvm.JFFI_STUB_RESOURCE);
                if (entry != null) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        return Optional.of(in.readAllBytes());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void writeSkeleton(CpioWriter cpio) throws IOException {
        cpio.directory("/dev", 0755);
        // The kernel opens /dev/console for init's stdin, stdout and stderr before devtmpfs exists.
        cpio.characterDevice("/dev/console", 0600, 5, 1);
        cpio.directory("/proc", 0555);
        cpio.directory("/sys", 0555);
        cpio.directory("/tmp", 01777);
        cpio.directory("/morgana", 0755);
    }

    private static void writeTree(CpioWriter cpio, Path root, String imagePath, List<String> leaveOut)
            throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = walk.sorted().toList();
        }
        for (Path p : entries) {
            String relative = root.relativize(p).toString();
            if (leaveOut.contains(relative)) {
                continue;
            }
            String target = relative.isEmpty() ? imagePath : imagePath + "/" + relative;
            if (Files.isSymbolicLink(p)) {
                cpio.symlink(target, Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                cpio.directory(target, 0755);
            } else {
                cpio.file(target, Files.isExecutable(p) ? 0755 : 0644, p);
            }
        }
    }
}
