package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KernelLogTest {

    @Test
    void theInitRecordGivesTheKernelsUptimeInMicroseconds() {
        assertThat(KernelLog.initStart("6,412,2345678,-;Run /jre/bin/java as init process"))
                .contains(Duration.ofNanos(2_345_678_000L));
    }

    @Test
    void otherRecordsAndMalformedOnesGiveNothing() {
        assertThat(KernelLog.initStart("6,411,2300000,-;Freeing unused kernel image (initmem) memory: 2920K")).isEmpty();
        assertThat(KernelLog.initStart("Run /init as init process")).isEmpty();
        assertThat(KernelLog.initStart("6,x,y,-;Run /init as init process")).isEmpty();
        assertThat(KernelLog.initStart("6;Run /init as init process")).isEmpty();
    }
}
