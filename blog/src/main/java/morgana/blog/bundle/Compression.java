package morgana.blog.bundle;

import io.airlift.compress.v3.zstd.ZstdJavaCompressor;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The compressed variants of a body, as the build makes them: gzip from the JDK's zlib and zstd from
 * aircompressor. Each thread keeps one zlib encoder and resets it between bodies: setting one up costs more than
 * compressing a 5 KB page with it (its window and hash tables are allocated and cleared each time).
 * Only the build compresses; the guest serves stored bytes and never loads this class.
 */
final class Compression {

    /**
     * RFC 1952 §2.3: the magic, deflate, no flags, no modification time, no extra flags, OS unknown; the header
     * {@link java.util.zip.GZIPOutputStream} writes, so the output depends on the body alone.
     */
    private static final byte[] GZIP_HEADER = {0x1F, (byte) 0x8B, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xFF};
    private static final int GZIP_TRAILER = 8;

    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));

    private Compression() {}

    /** One gzip member of {@code body}: the bytes {@code GZIPOutputStream} would write, without its per-stream setup. */
    static byte[] gzip(byte[] body) {
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
        var crc = new CRC32();
        crc.update(body);
        out = Arrays.copyOf(out, length + GZIP_TRAILER);
        littleEndianInt(out, length, (int) crc.getValue());
        littleEndianInt(out, length + 4, body.length);
        return out;
    }

    /** One RFC 8878 frame of {@code body}, from aircompressor's pure-Java encoder. */
    static byte[] zstd(byte[] body) {
        var compressor = new ZstdJavaCompressor();
        byte[] out = new byte[compressor.maxCompressedLength(body.length)];
        int length = compressor.compress(body, 0, body.length, out, 0, out.length);
        return Arrays.copyOf(out, length);
    }

    private static void littleEndianInt(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
