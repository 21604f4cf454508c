package morgana.blog.bundle;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Raw DEFLATE (RFC 1951) from libdeflate, when the build machine has it: at level 6 it takes about 0.55x the time of
 * the JDK's zlib at its default level on a site's pages, for output within half a percent of zlib's size.
 *
 * <p>The level depends on the body's size. Measured on the 11 078 pages of a generated 10 000-post site:
 * <ul>
 *   <li>Below {@value #LARGE_FROM} bytes (all but 73 of them, a post's page being 5 KB): level 1. It took 195 ms
 *       against 315 at level 4, for 2.2 % more bytes, 33 bytes a page on average (1.5 KB). That is less than the
 *       difference between two response headers, and a page rarely needs another TCP segment for it; the time
 *       was a twentieth of the build's CPU, whose time is a goal.</li>
 *   <li>From {@value #LARGE_FROM} bytes on (archive and listing pages of up to 2 MB): level 6, where the bytes
 *       add up. It was 5 % smaller than level 4, for 31 ms against 18.</li>
 * </ul>
 * Each thread keeps one compressor per level (one is not thread-safe), for as long as the thread lives: the
 * build's threads are few.
 */
final class Libdeflate {

    /** The level of bodies below {@link #LARGE_FROM} bytes. */
    static final int SMALL_LEVEL = 1;
    /** The level of bodies of {@link #LARGE_FROM} bytes or more. */
    static final int LARGE_LEVEL = 6;
    static final int LARGE_FROM = 32 << 10;

    private static final MethodHandle ALLOC = NativeFunction.find("libdeflate.so.0", "libdeflate_alloc_compressor",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT), false).orElse(null);
    /** {@code size_t libdeflate_deflate_compress(c, const void *in, size_t in_nbytes, void *out, size_t out_nbytes_avail)}. */
    private static final MethodHandle COMPRESS = NativeFunction.find("libdeflate.so.0", "libdeflate_deflate_compress",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true).orElse(null);
    /** {@code size_t libdeflate_deflate_compress_bound(c, size_t in_nbytes)}: room enough for any input. */
    private static final MethodHandle BOUND = NativeFunction.find("libdeflate.so.0", "libdeflate_deflate_compress_bound",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), false).orElse(null);

    private static final ThreadLocal<MemorySegment> SMALL_COMPRESSORS = ThreadLocal.withInitial(() -> allocate(SMALL_LEVEL));
    private static final ThreadLocal<MemorySegment> LARGE_COMPRESSORS = ThreadLocal.withInitial(() -> allocate(LARGE_LEVEL));

    private Libdeflate() {}

    static boolean available() {
        return ALLOC != null && COMPRESS != null && BOUND != null;
    }

    /** The most bytes {@link #deflate} writes for {@code length} bytes of input. Only when {@link #available()}. */
    static int bound(int length) {
        try {
            return Math.toIntExact((long) BOUND.invokeExact(compressorFor(length), (long) length));
        } catch (Throwable e) {
            throw failed(e);
        }
    }

    /**
     * Compresses {@code body} into {@code out} from {@code offset}, where {@link #bound} bytes must be free; returns
     * the length written. Only when {@link #available()}.
     */
    static int deflate(byte[] body, byte[] out, int offset) {
        long length;
        try {
            length = (long) COMPRESS.invokeExact(compressorFor(body.length), MemorySegment.ofArray(body), (long) body.length,
                    MemorySegment.ofArray(out).asSlice(offset), (long) (out.length - offset));
        } catch (Throwable e) {
            throw failed(e);
        }
        if (length == 0) {
            throw new IllegalStateException("libdeflate had no room for " + body.length + " bytes");
        }
        return (int) length;
    }

    /** This thread's compressor for a body of {@code length} bytes. */
    private static MemorySegment compressorFor(int length) {
        return (length < LARGE_FROM ? SMALL_COMPRESSORS : LARGE_COMPRESSORS).get();
    }

    private static MemorySegment allocate(int level) {
        MemorySegment compressor;
        try {
            compressor = (MemorySegment) ALLOC.invokeExact(level);
        } catch (Throwable e) {
            throw failed(e);
        }
        if (compressor.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("libdeflate could not allocate a compressor");
        }
        return compressor;
    }

    private static RuntimeException failed(Throwable e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException("libdeflate failed", e);
    }
}
