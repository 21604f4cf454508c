package morgana.netstack.phy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkPairTest {

    final LinkPair link = new LinkPair(1500);
    final ByteBuffer rx = ByteBuffer.allocate(1518);

    static ByteBuffer frame(int tag) {
        return ByteBuffer.wrap(new byte[] {(byte) tag, 1, 2, 3});
    }

    @Test
    void deliversWhatOneEndSendsToTheOtherInOrder() {
        link.a().transmit(frame(1));
        link.a().transmit(frame(2));

        assertThat(link.b().receive(rx)).isTrue();
        assertThat(rx.remaining()).isEqualTo(4);
        assertThat(rx.get(0)).isEqualTo((byte) 1);
        rx.clear();
        assertThat(link.b().receive(rx)).isTrue();
        assertThat(rx.get(0)).isEqualTo((byte) 2);
        rx.clear();
        assertThat(link.b().receive(rx)).isFalse();
        assertThat(link.a().receive(rx)).isFalse();
    }

    @Test
    void dropsTheNextNFrames() {
        link.a().dropNext(2);
        for (int i = 0; i < 3; i++) {
            link.a().transmit(frame(i));
        }

        assertThat(link.b().pending()).isEqualTo(1);
        assertThat(link.a().droppedFrames()).isEqualTo(2);
        assertThat(link.a().transmittedFrames()).isEqualTo(3);
        assertThat(link.b().takeReceived()[0]).isEqualTo((byte) 2);
    }

    @Test
    void lossRateIsReproducibleFromTheSeed() {
        link.a().setLossRate(0.3, 99);
        LinkPair other = new LinkPair();
        other.a().setLossRate(0.3, 99);
        for (int i = 0; i < 1000; i++) {
            link.a().transmit(frame(i));
            other.a().transmit(frame(i));
        }

        assertThat(link.a().droppedFrames()).isEqualTo(other.a().droppedFrames()).isBetween(200L, 400L);
    }

    @Test
    void dropFilterAndTapSeeEveryFrame() {
        List<Integer> seen = new ArrayList<>();
        link.b().setTap(f -> seen.add((int) f.get(0)));
        link.b().setDropFilter(f -> f.get(0) == 7);

        link.b().transmit(frame(7));
        link.b().transmit(frame(8));

        assertThat(seen).containsExactly(7, 8);
        assertThat(link.a().pending()).isEqualTo(1);
        assertThat(link.framesInFlight()).isEqualTo(1);
    }

    @Test
    void awaitFrameReturnsOnWakeupOrTimeout() throws Exception {
        link.a().wakeup();
        long start = System.nanoTime();
        link.a().awaitFrame(Duration.ofSeconds(5));
        link.a().awaitFrame(Duration.ofMillis(20));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
