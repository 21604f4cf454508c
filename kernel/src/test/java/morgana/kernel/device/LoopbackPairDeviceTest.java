package morgana.kernel.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopbackPairDeviceTest {

    @Test
    void eachFrameArrivesWholeAtTheOtherEndInOrder() throws Exception {
        try (LoopbackPairDevice.Pair pair = LoopbackPairDevice.open(1500)) {
            pair.a().transmit(frame(60, (byte) 1));
            pair.a().transmit(frame(1514, (byte) 2));
            pair.b().transmit(frame(64, (byte) 3));

            ByteBuffer rx = ByteBuffer.allocate(2048);
            pair.b().awaitFrame(Duration.ofSeconds(5));
            assertThat(pair.b().receive(rx)).isTrue();
            assertThat(rx.remaining()).isEqualTo(60);
            assertThat(rx.get(59)).isEqualTo((byte) 1);
            rx.clear();
            assertThat(pair.b().receive(rx)).isTrue();
            assertThat(rx.remaining()).isEqualTo(1514);
            rx.clear();
            assertThat(pair.b().receive(rx)).as("nothing more for b").isFalse();
            rx.clear();
            assertThat(pair.a().receive(rx)).isTrue();
            assertThat(rx.remaining()).isEqualTo(64);
        }
    }

    @Test
    void aFrameLargerThanTheMtuIsCountedNotSent() {
        try (LoopbackPairDevice.Pair pair = LoopbackPairDevice.open(1500)) {
            pair.a().transmit(frame(1500 + 19, (byte) 9));

            assertThat(pair.a().droppedOnTransmit()).isEqualTo(1);
            assertThat(pair.b().receive(ByteBuffer.allocate(2048))).isFalse();
        }
    }

    private static ByteBuffer frame(int length, byte fill) {
        ByteBuffer frame = ByteBuffer.allocate(length);
        while (frame.hasRemaining()) {
            frame.put(fill);
        }
        return frame.flip();
    }
}
