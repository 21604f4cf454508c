package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteRingTest {

    @Test
    void holdsNoArrayBeforeItsFirstByte() {
        ByteRing ring = new ByteRing(256 * 1024);
        assertThat(ring.allocated()).isZero();
        assertThat(ring.write(ByteBuffer.allocate(0))).isZero();
        assertThat(ring.read(ByteBuffer.allocate(10))).isZero();
        assertThat(ring.peek(0, 0)).isEmpty();
        assertThat(ring.allocated()).isZero();
    }

    @Test
    void growsToWhatItHoldsAndNoFurther() {
        ByteRing ring = new ByteRing(256 * 1024);
        ring.write(ByteBuffer.allocate(100));
        assertThat(ring.allocated()).isEqualTo(ByteRing.INITIAL_ALLOCATION);
        ring.write(ByteBuffer.allocate(60_000));
        assertThat(ring.allocated()).isEqualTo(64 * 1024);
    }

    /**
     * Found by scripts/fuzz-live's idle flood: 1 000 idle keep-alive connections that had each sent the blog's
     * feed kept 86 MiB. A drained ring keeps its array for the next bytes (a bulk transfer drains on every ACK
     * and would otherwise make a new array each time); its connection releases it once quiet.
     */
    @Test
    void keepsItsArrayWhenDrainedAndGivesItBackWhenReleasedEmpty() {
        ByteRing sent = new ByteRing(256 * 1024);
        sent.write(ByteBuffer.allocate(80_000));
        sent.discard(30_000);
        sent.releaseIfEmpty();
        assertThat(sent.allocated()).as("still holding data").isEqualTo(128 * 1024);
        sent.discard(50_000); // the last byte acknowledged
        assertThat(sent.allocated()).isEqualTo(128 * 1024);
        sent.releaseIfEmpty();
        assertThat(sent.allocated()).isZero();

        ByteRing received = new ByteRing(256 * 1024);
        received.write(ByteBuffer.allocate(5_000));
        received.read(ByteBuffer.allocate(5_000)); // the application read it all
        received.releaseIfEmpty();
        assertThat(received.allocated()).isZero();
    }

    @Test
    void keepsTheBytesInOrderThroughWrapsGrowthAndReleases() {
        Random random = new Random(7);
        ByteRing ring = new ByteRing(20_000);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        int next = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextBoolean()) {
                byte[] chunk = new byte[random.nextInt(3_000)];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) next++;
                }
                int taken = ring.write(ByteBuffer.wrap(chunk));
                assertThat(taken).isEqualTo(Math.min(chunk.length, 20_000 - model.size()));
                for (int i = 0; i < taken; i++) {
                    model.add(chunk[i]);
                }
                next -= chunk.length - taken;
            } else if (random.nextInt(10) == 0) {
                ring.releaseIfEmpty(); // what a quiet connection does now and then
                if (model.isEmpty()) {
                    assertThat(ring.allocated()).isZero();
                }
            } else {
                ByteBuffer out = ByteBuffer.allocate(random.nextInt(4_000));
                int read = ring.read(out);
                assertThat(read).isEqualTo(Math.min(out.capacity(), model.size()));
                for (int i = 0; i < read; i++) {
                    assertThat(out.get(i)).isEqualTo(model.poll());
                }
            }
            assertThat(ring.size()).isEqualTo(model.size());
            assertThat(ring.allocated()).as("an array whenever it holds bytes").isGreaterThanOrEqualTo(ring.size());
        }
    }
}
