package morgana.netstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's workloads do what they claim, so the numbers it reports mean what they say. */
class IpLayerBenchmarkTest {

    @Test
    void everyEchoRequestOfABatchIsAnsweredAndNothingDropped() {
        IpLayerBenchmark bench = new IpLayerBenchmark();
        bench.setUp();
        for (int i = 0; i < 3; i++) {
            bench.icmpEcho64();
        }
        assertThat(bench.echo.sent()).isEqualTo(3L * IpLayerBenchmark.BATCH);
        bench.checkNothingWasDropped();
    }

    @Test
    void everyUdpDatagramOfABatchReachesTheSocketAndNothingDropped() {
        IpLayerBenchmark bench = new IpLayerBenchmark();
        bench.setUp();
        for (int i = 0; i < 3; i++) {
            assertThat(bench.udp1500()).isEqualTo(IpLayerBenchmark.BATCH);
        }
        assertThat(bench.udp.sent()).as("a datagram to a bound port gets no reply").isZero();
        bench.checkNothingWasDropped();
    }
}
