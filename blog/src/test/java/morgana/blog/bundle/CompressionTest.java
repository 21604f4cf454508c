package morgana.blog.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.v3.zstd.ZstdJavaDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionTest {

    private static byte[] viaGzipOutputStream(byte[] body) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        return out.toByteArray();
    }

    /** Text that compresses (a page) and noise that does not, from empty to larger than any first guess of the size. */
    private static byte[] body(int length) {
        var random = new Random(length);
        byte[] body = new byte[length];
        byte[] text = "<p>A post about TCP windows and retransmit timers.</p>\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < length; i++) {
            body[i] = i < length / 2 ? text[i % text.length] : (byte) random.nextInt();
        }
        return body;
    }

    private static byte[] gunzip(byte[] member) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(member))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 5_000, 70_000, 1_000_000})
    void zlibGzipIsTheStreamGzipOutputStreamWrites(int length) throws IOException {
        byte[] body = body(length);

        assertThat(Compression.gzipWithZlib(body)).isEqualTo(viaGzipOutputStream(body));
        assertThat(Compression.gzipWithZlib(body)).as("again, with the thread's encoder reused")
                .isEqualTo(viaGzipOutputStream(body));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 5_000, 70_000, 1_000_000})
    void gzipIsOneMemberWithGzipOutputStreamsHeaderThatTheJdkReadsBack(int length) throws IOException {
        assertGzipRoundTrips(length);
    }

    @ParameterizedTest // each side of the size where libdeflate's level changes
    @ValueSource(ints = {Libdeflate.LARGE_FROM - 1, Libdeflate.LARGE_FROM})
    void bodiesOnEachSideOfTheLevelChangeReadBack(int length) throws IOException {
        assertGzipRoundTrips(length);
    }

    private static void assertGzipRoundTrips(int length) throws IOException {
        byte[] body = body(length);

        byte[] member = Compression.gzip(body);
        assertThat(gunzip(member)).isEqualTo(body);
        assertThat(Arrays.copyOf(member, 10)).isEqualTo(Arrays.copyOf(viaGzipOutputStream(body), 10));
        assertThat(Compression.gzip(body)).as("again, with the thread's encoder reused").isEqualTo(member);
    }

    @Test
    void gzipComesFromLibdeflateWhereTheMachineHasIt() throws IOException {
        // scripts/setup installs libdeflate0, so a machine that runs the tests has it; the fallback to zlib is
        // gzipWithZlib, tested above.
        assertThat(Libdeflate.available()).as("libdeflate.so.0 loads (Debian's libdeflate0)").isTrue();
        byte[] page = body(5_000);

        assertThat(Compression.gzip(page)).isNotEqualTo(Compression.gzipWithZlib(page));
        assertThat(gunzip(Compression.gzip(page))).isEqualTo(page);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 5_000, 70_000, 1_000_000})
    void zstdIsOneFrameThatAnotherDecoderReadsBack(int length) {
        byte[] body = body(length);

        byte[] frame = Compression.zstd(body);
        byte[] decoded = new byte[length];
        int n = new ZstdJavaDecompressor().decompress(frame, 0, frame.length, decoded, 0, decoded.length);
        assertThat(n).isEqualTo(length);
        assertThat(decoded).isEqualTo(body);
        assertThat(Compression.zstd(body)).as("again, with the thread's context reused").isEqualTo(frame);
    }
}
