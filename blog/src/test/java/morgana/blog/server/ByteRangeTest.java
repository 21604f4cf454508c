package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    @Test
    void readsTheThreeFormsOfASingleRange() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 9)));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(ByteRange.parse("Bytes=5-5", 100)).as("the unit is case-insensitive")
                .isEqualTo(new ByteRange.Partial(new ByteRange(5, 5)));
    }

    @Test
    void clampsToTheRepresentation() {
        assertThat(ByteRange.parse("bytes=50-1000", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(50, 99)));
        assertThat(ByteRange.parse("bytes=-1000", 100)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
    }

    @Test
    void isUnsatisfiableBeyondTheEndOrForNothing() {
        assertThat(ByteRange.parse("bytes=100-", 100)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=-0", 100)).isEqualTo(new ByteRange.Unsatisfiable());
        assertThat(ByteRange.parse("bytes=-5", 0)).isEqualTo(new ByteRange.Unsatisfiable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "items=0-1", "bytes=0-1,3-4",
            "bytes=+1-2", "bytes=1-2-3", "bytes = 1-2", "bytes=99999999999999999999-"})
    void ignoresWhatItDoesNotLike(String header) {
        assertThat(ByteRange.parse(header, 100)).isEqualTo(new ByteRange.Whole());
    }

    /** Seeded: any satisfiable answer lies inside the representation and is not empty. */
    @ParameterizedTest
    @MethodSource("seeds")
    void aPartialRangeIsNeverEmptyNorOutside(long seed) {
        var random = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            long length = random.nextInt(5000);
            String a = random.nextBoolean() ? String.valueOf(random.nextInt(6000)) : "";
            String b = random.nextBoolean() ? String.valueOf(random.nextInt(6000)) : "";
            if (ByteRange.parse("bytes=" + a + "-" + b, length) instanceof ByteRange.Partial(ByteRange r)) {
                assertThat(r.first()).isBetween(0L, length - 1);
                assertThat(r.last()).isBetween(r.first(), length - 1);
                assertThat(r.length()).isPositive();
            }
        }
    }

    static IntStream seeds() {
        return IntStream.range(0, 10).map(i -> 1_000_003 * i + 17);
    }
}
