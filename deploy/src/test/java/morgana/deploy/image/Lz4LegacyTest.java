package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Lz4LegacyTest {

    @Test
    void decodesABlockOfLiteralsOnly() {
        byte[] block = {0x50, 'h', 'e', 'l', 'l', 'o'};
        byte[] out = new byte[64];

        int n = Lz4Legacy.decodeBlock(block, 0, block.length, out);

        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void aMatchCloserThanItsLengthRepeatsTheLastBytes() {
        // "ab", then a 6-byte match 2 back (overlapping itself), then the final literal "c".
        byte[] block = {0x22, 'a', 'b', 2, 0, 0x10, 'c'};
        byte[] out = new byte[64];

        int n = Lz4Legacy.decodeBlock(block, 0, block.length, out);

        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo("ababababc");
    }

    @Test
    void longLiteralAndMatchLengthsAddTheirExtraBytes() {
        // 15 + 5 = 20 literals, then a match of 4 + 15 + 1 = 20 at distance 20, then the final literal.
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0xFF);
        block.write(5);
        block.writeBytes("abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII));
        block.write(20);
        block.write(0);
        block.write(1);
        block.write(0x10);
        block.write('!');
        byte[] in = block.toByteArray();
        byte[] out = new byte[64];

        int n = Lz4Legacy.decodeBlock(in, 0, in.length, out);

        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII))
                .isEqualTo("abcdefghijklmnopqrstabcdefghijklmnopqrst!");
    }

    @Test
    void aMatchReachingBeforeTheStartIsCorruption() {
        byte[] block = {0x10, 'a', 5, 0, 0x10, 'b'};

        assertThatThrownBy(() -> Lz4Legacy.decodeBlock(block, 0, block.length, new byte[64]))
                .isInstanceOf(ImageException.class).hasMessageContaining("match offset 5");
    }

    @Test
    void aFrameIsTheMagicThenSizedBlocksThenTheKernelsDecompressedSize() {
        byte[] frame = {0x02, 0x21, 0x4c, 0x18, 6, 0, 0, 0, 0x50, 'h', 'e', 'l', 'l', 'o', 5, 0, 0, 0};

        assertThat(Lz4Legacy.decode(frame, 0, frame.length)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));

        frame[frame.length - 4] = 6;
        assertThatThrownBy(() -> Lz4Legacy.decode(frame, 0, frame.length))
                .isInstanceOf(ImageException.class).hasMessageContaining("the kernel says 6");
    }

    @Test
    void somethingElseThanALegacyFrameIsRefused() {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0};

        assertThatThrownBy(() -> Lz4Legacy.decode(gzip, 0, gzip.length))
                .isInstanceOf(ImageException.class).hasMessageContaining("magic");
    }
}
