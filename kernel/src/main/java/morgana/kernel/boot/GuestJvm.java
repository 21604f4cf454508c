package morgana.kernel.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What the JVM that runs as PID 1 needs on its command line, for whoever builds the image. The kernel
 * module owns this knowledge because its native layer is the reason for it.
 */
public final class GuestJvm {

    /** Where jffi's stub sits inside its native jar (the one on the kernel's runtime classpath). */
    public static final String JFFI_STUB_RESOURCE = "jni/x86_64-Linux/libjffi-1.2.so";
    public static final String JFFI_STUB_FILE = "libjffi-1.2.so";

    private GuestJvm() {
    }

    /**
     * The options every Morgana JVM needs: jffi still uses sun.misc.Unsafe memory access, and jnr-ffi
     * calls native code from the unnamed module.
     */
    public static List<String> requiredOptions() {
        return List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");
    }

    /**
     * The options for the guest when the image holds jffi's stub, already extracted, in {@code stubDirectory}
     * (see {@link #extractJffiStub}): then nothing is written at boot and /tmp need not exist.
     */
    public static List<String> guestOptions(String stubDirectory) {
        return List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-Djffi.boot.library.path=" + stubDirectory, "-Djava.io.tmpdir=/tmp");
    }

    /** Copies jffi's x86_64 Linux stub from the classpath into {@code directory}; returns the file. */
    public static Path extractJffiStub(Path directory) throws IOException {
        try (InputStream in = GuestJvm.class.getClassLoader().getResourceAsStream(JFFI_STUB_RESOURCE)) {
            if (in == null) {
                throw new IOException(JFFI_STUB_RESOURCE + " is not on the classpath: add com.github.jnr:jffi:native"
                        + " (the kernel module's runtime dependency)");
            }
            Files.createDirectories(directory);
            Path stub = directory.resolve(JFFI_STUB_FILE);
            Files.copy(in, stub, StandardCopyOption.REPLACE_EXISTING);
            return stub;
        }
    }
}
