package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The RTO estimator of RFC 6298 §2 and its backoff (§5.5), with the bounds of §2.4 and §2.5. */
class RetransmitTimerTest {

    @Test
    void startsAtOneSecondBeforeAnySample() {
        assertThat(new RetransmitTimer().rto()).isEqualTo(Duration.ofSeconds(1)); // §2.1
    }

    @Test
    void theFirstSampleSetsSrttToItAndRttvarToHalfOfIt() {
        RetransmitTimer t = new RetransmitTimer();

        t.sample(Duration.ofMillis(400));

        assertThat(t.smoothedRtt()).hasValue(Duration.ofMillis(400));
        assertThat(t.rto()).isEqualTo(Duration.ofMillis(1200)); // §2.2: SRTT + 4 * RTTVAR
    }

    @Test
    void laterSamplesAreSmoothedWithAlphaOneEighthAndBetaOneQuarter() {
        RetransmitTimer t = new RetransmitTimer();
        t.sample(Duration.ofMillis(400));

        t.sample(Duration.ofMillis(200));

        // §2.3: RTTVAR = 3/4 * 200 + 1/4 * |400 - 200| = 200; SRTT = 7/8 * 400 + 1/8 * 200 = 375
        assertThat(t.smoothedRtt()).hasValue(Duration.ofMillis(375));
        assertThat(t.rto()).isEqualTo(Duration.ofMillis(1175));
    }

    @Test
    void roundsUpToTheConfiguredMinimum() {
        assertThat(sampled(new RetransmitTimer(), 10).rto()).isEqualTo(Duration.ofSeconds(1)); // §2.4
        assertThat(sampled(new RetransmitTimer(Duration.ofMillis(200)), 10).rto()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void backsOffByDoublingUpToSixtySecondsAndANewSampleUndoesIt() {
        RetransmitTimer t = sampled(new RetransmitTimer(), 100);
        for (int i = 0; i < 8; i++) {
            t.backOff();
        }
        assertThat(t.rto()).isEqualTo(Duration.ofSeconds(60)); // 1 s * 2^8 capped (§2.5, §5.5)
        assertThat(t.backoffs()).isEqualTo(8);

        t.sample(Duration.ofMillis(100));

        assertThat(t.backoffs()).isZero();
        assertThat(t.rto()).isEqualTo(Duration.ofSeconds(1));
    }

    private static RetransmitTimer sampled(RetransmitTimer t, long millis) {
        t.sample(Duration.ofMillis(millis));
        return t;
    }
}
