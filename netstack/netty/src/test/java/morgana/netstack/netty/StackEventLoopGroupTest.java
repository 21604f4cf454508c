package morgana.netstack.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StackEventLoopGroupTest {

    private static NetworkStack stack() {
        return new NetworkStack(
                StackConfig.of(MacAddress.parse("02:00:00:00:00:01"), Ipv4Cidr.parse("10.0.0.1/24"), null));
    }

    @Test
    void anIdleLoopSleepsInsteadOfSpinning() throws Exception {
        CountingDevice device = new CountingDevice(new LinkPair().a());
        StackEventLoopGroup group = new StackEventLoopGroup(stack(), device, InstantSource.system());
        try {
            Thread.sleep(500);
            // Netty's own housekeeping may wake an idle loop about once a second; a spinning loop waits
            // (or returns from waiting) thousands of times in half a second.
            assertThat(device.waits.get()).isLessThan(10);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTaskFromAnotherThreadWakesTheSleepingLoop() throws Exception {
        CountingDevice device = new CountingDevice(new LinkPair().a());
        StackEventLoopGroup group = new StackEventLoopGroup(stack(), device, InstantSource.system());
        try {
            Thread.sleep(100); // let it fall asleep
            long start = System.nanoTime();
            String ran = group.next().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(ran).startsWith("morgana-netstack");
            assertThat(device.wakeups.get()).isPositive();
            assertThat(tookMillis).isLessThan(500); // far below Netty's one-second idle wake-up
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStackCannotBeSharedByTwoLoopThreads() {
        var factory = StackIoHandler.newFactory(stack(), new LinkPair().a(), InstantSource.system());
        assertThatThrownBy(() -> new MultiThreadIoEventLoopGroup(2, factory))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .rootCause().hasMessageContaining("1 thread");
    }
}
