package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    @Test
    void aLittleEndianBufferSumsToTheSameChecksumAsABigEndianOneOverAnyRange() {
        Random random = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[1 + random.nextInt(120)];
            random.nextBytes(bytes);
            int offset = random.nextInt(bytes.length);
            int length = random.nextInt(bytes.length - offset + 1);
            ByteBuffer big = ByteBuffer.wrap(bytes);
            ByteBuffer little = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN).put(0, bytes);
            long extra = random.nextInt(0x3FFFF); // a pseudo-header's sum added to either
            assertThat(InternetChecksum.finish(InternetChecksum.sum(little, offset, length) + extra))
                    .as("%d bytes from %d", length, offset)
                    .isEqualTo(InternetChecksum.finish(InternetChecksum.sum(big, offset, length) + extra));
        }
    }

    @Test
    void sumsRfc1071sExampleInEitherOrder() {
        byte[] example = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        // RFC 1071 §3: the words sum to 0x2ddf0, which folds to 0xddf2; the checksum is its complement
        assertThat(InternetChecksum.of(ByteBuffer.wrap(example), 0, 8)).isEqualTo(~0xddf2 & 0xFFFF);
        assertThat(InternetChecksum.of(ByteBuffer.wrap(example).order(ByteOrder.LITTLE_ENDIAN), 0, 8))
                .isEqualTo(~0xddf2 & 0xFFFF);
    }
}
