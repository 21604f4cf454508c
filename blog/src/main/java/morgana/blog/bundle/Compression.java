package morgana.blog.bundle;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The compressed variants of a body, as the build makes them: gzip from libdeflate (or the JDK's zlib where it is
 * missing) and zstd from libzstd (zstd-jni). Each thread keeps one encoder of each kind and resets it between
 * bodies: setting one up costs more than compressing a 5 KB page with it (zlib's window and hash tables are
 * allocated and cleared each time).
 * Only the build compresses; the guest serves stored bytes and never loads this class.
 */
final class Compression {

    /**
     * RFC 1952 §2.3: the magic, deflate, no flags, no modification time, no extra flags, OS unknown; the header
     * {@link java.util.zip.GZIPOutputStream} writes, so the output depends on the body alone.
     */
    private static final byte[] GZIP_HEADER = {0x1F, (byte) 0x8B, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xFF};
    private static final int GZIP_TRAILER = 8;

    /**
     * zstd's default level, 3. On the pages of a generated 1 000-post site level 4 was 2.5 % smaller but took 1.75x
     * the time (56 against 32 ms with libzstd 1.5.7), a tenth of a 10 000-post build's CPU time for it.
     */
    static final int ZSTD_LEVEL = 3;

    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));
    private static final ThreadLocal<ZstdCompressCtx> ZSTD_CONTEXTS = ThreadLocal.withInitial(() -> {
        var context = new ZstdCompressCtx();
        context.setLevel(ZSTD_LEVEL);
        return context;
    });

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 << 10]);

    private Compression() {}

    /**
     * One gzip member of {@code body}: the header {@code GZIPOutputStream} writes, DEFLATE data from libdeflate when
     * the machine has it ({@link Libdeflate}), else from zlib, then the CRC-32 and the length.
     */
    static byte[] gzip(byte[] body) {
        if (!Libdeflate.available()) {
            return gzipWithZlib(body);
        }
        byte[] out = scratch(GZIP_HEADER.length + Libdeflate.bound(body.length) + GZIP_TRAILER);
        System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
        int length = GZIP_HEADER.length + Libdeflate.deflate(body, out, GZIP_HEADER.length);
        return withTrailer(out, length, body);
    }

    /** One gzip member of {@code body}: the bytes {@code GZIPOutputStream} would write, without its per-stream setup. */
    static byte[] gzipWithZlib(byte[] body) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setInput(body);
        deflater.finish();
        byte[] out = new byte[GZIP_HEADER.length + body.length + body.length / 1000 + 64 + GZIP_TRAILER];
        System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
        int length = GZIP_HEADER.length;
        while (!deflater.finished()) {
            if (length == out.length - GZIP_TRAILER) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            length += deflater.deflate(out, length, out.length - GZIP_TRAILER - length);
        }
        return withTrailer(out, length, body);
    }

    /** The member cut to its DEFLATE data ending at {@code length}, then RFC 1952's CRC-32 and size of the body. */
    private static byte[] withTrailer(byte[] out, int length, byte[] body) {
        var crc = new CRC32();
        crc.update(body);
        byte[] member = Arrays.copyOf(out, length + GZIP_TRAILER);
        littleEndianInt(member, length, (int) crc.getValue());
        littleEndianInt(member, length + 4, body.length);
        return member;
    }

    /**
     * One RFC 8878 frame of {@code body}, with its content size. libzstd's output depends only on its version and
     * the level (one thread, no dictionary), so the same site gives the same bytes wherever this version builds it.
     */
    static byte[] zstd(byte[] body) {
        byte[] out = scratch(Math.toIntExact(Zstd.compressBound(body.length)));
        int length = ZSTD_CONTEXTS.get().compressByteArray(out, 0, out.length, body, 0, body.length);
        return Arrays.copyOf(out, length);
    }

    /**
     * This thread's array for output of at most {@code size} bytes, made larger when it has to be: an encoder
     * writes into it and its result is copied out at its length, rather than a bound-sized array made and dropped
     * for each variant (twice the garbage of a build's pages).
     */
    private static byte[] scratch(int size) {
        byte[] out = SCRATCH.get();
        if (out.length < size) {
            out = new byte[Math.max(size, out.length * 2)];
            SCRATCH.set(out);
        }
        return out;
    }

    private static void littleEndianInt(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
