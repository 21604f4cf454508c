package morgana.blog.bundle;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * SHA-256 for the build: OpenSSL's {@code SHA256()} (SHA-NI where the CPU has it) when libcrypto is there, else the
 * JDK's. {@code morgana build} runs with C1 alone, which does not use the JDK's SHA intrinsics: its SHA-256 is plain
 * Java there, and hashing every page for its etag took a tenth of a 10 000-post build's CPU time (8x this).
 */
final class Libcrypto {

    /** {@code unsigned char *SHA256(const unsigned char *data, size_t count, unsigned char *md)}. */
    private static final MethodHandle SHA256 = NativeFunction.find("libcrypto.so.3", "SHA256",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            true).orElse(null);

    private static final int DIGEST_LENGTH = 32;

    private Libcrypto() {}

    static boolean available() {
        return SHA256 != null;
    }

    /** The SHA-256 of {@code bytes}. */
    static byte[] sha256(byte[] bytes) {
        if (SHA256 == null) {
            return BundleEntry.sha256(bytes);
        }
        byte[] digest = new byte[DIGEST_LENGTH];
        try {
            MemorySegment unused = (MemorySegment) SHA256.invokeExact(MemorySegment.ofArray(bytes), (long) bytes.length,
                    MemorySegment.ofArray(digest));
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException("libcrypto's SHA256 failed", e);
        }
        return digest;
    }
}
