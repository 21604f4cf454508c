package morgana.deploy.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import java.util.spi.ToolProvider;

/**
 * A one-class guest for image tests: it prints its pid and the manifest it was given, then exits, which
 * (with {@code panic=-1} and qemu's {@code -no-reboot}) ends the VM. It proves the jlink + initramfs +
 * command-line path without the real unikernel.
 */
public final class HelloGuest {
    public static final String MAIN_CLASS = "hello.Hello";

    private static final String SOURCE = """
            package hello;
            public class Hello {
                public static void main(String[] args) throws Exception {
                    String manifest = java.nio.file.Files.readString(java.nio.file.Path.of(args[0])).strip();
                    System.out.println("hello from PID " + ProcessHandle.current().pid()
                            + " java=" + Runtime.version() + " manifest=" + manifest
                            + " tmpdir=" + System.getProperty("java.io.tmpdir"));
                    System.out.flush();
                }
            }
            """;

    private HelloGuest() {
    }

    /** Compiles the guest into {@code dir/hello.jar} and returns {@code dir}, ready to be a guest lib dir. */
    public static Path writeGuestLib(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/hello"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(src.resolve("Hello.java"), SOURCE);
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        int status = javac.run(System.out, System.err, "-d", classes.toString(), src.resolve("Hello.java").toString());
        if (status != 0) {
            throw new IllegalStateException("javac failed: " + status);
        }
        Path lib = Files.createDirectories(dir.resolve("lib"));
        // Entries with a fixed time, so that compiling twice gives the same jar.
        try (OutputStream file = Files.newOutputStream(lib.resolve("hello.jar"));
             ZipOutputStream jar = new ZipOutputStream(file)) {
            ZipEntry manifest = new ZipEntry("META-INF/MANIFEST.MF");
            manifest.setTime(0);
            jar.putNextEntry(manifest);
            jar.write("Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            ZipEntry entry = new ZipEntry("hello/Hello.class");
            entry.setTime(0);
            jar.putNextEntry(entry);
            jar.write(Files.readAllBytes(classes.resolve("hello/Hello.class")));
            jar.closeEntry();
        }
        return lib;
    }

    public static GuestLaunch launch() {
        return new GuestLaunch(MAIN_CLASS, List.of(GuestLaunch.MANIFEST), 128);
    }

    /** A hello image using the cached kernel with the virtio_net chain, like the real one. */
    public static BuiltImage build(Path work, Path out) throws IOException {
        KernelPackage kernel = KernelPackage.fromCache(KernelPackage.defaultCacheDir());
        QemuImage image = new QemuImage(kernel, kernel.resolve(List.of("virtio_pci", "virtio_net")),
                writeGuestLib(work), launch(), 512, 80, KernelPackage.defaultCacheDir());
        return image.writeTo(out, "not a real bundle".getBytes(StandardCharsets.UTF_8), "manifest-for-hello");
    }
}
