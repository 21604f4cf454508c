package morgana.netstack.phy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceDefaultsTest {

    final LinkPair link = new LinkPair();

    @Test
    void batchesMoveFramesInOrderAndStopWhenNoneIsLeft() {
        link.a().transmitBatch(List.of(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2}),
                ByteBuffer.wrap(new byte[] {3})));
        ByteBuffer[] buffers = new ByteBuffer[5];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocate(1600);
        }

        int n = link.b().receiveBatch(buffers);

        assertThat(n).isEqualTo(3);
        assertThat(buffers[0].get(0)).isEqualTo((byte) 1);
        assertThat(buffers[2].get(0)).isEqualTo((byte) 3);
        assertThat(buffers[2].limit()).isEqualTo(1);
        assertThat(buffers[3].position()).isZero();
        assertThat(link.b().capabilities()).isEqualTo(DeviceCapabilities.NONE);
    }
}
