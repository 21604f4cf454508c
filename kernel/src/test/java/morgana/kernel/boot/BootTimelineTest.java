package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootTimelineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8));
    private long nanos = 1_000_000_000L;
    private final BootTimeline timeline = new BootTimeline(console, () -> nanos);

    @Test
    void stepsMarkedBeforeCalibrationArePrintedOnTheKernelsClockOnceItIsKnown() {
        timeline.mark(BootStep.MAIN);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();

        nanos += 250_000_000L;
        timeline.calibrate(Duration.ofMillis(2_750), Optional.of(Duration.ofMillis(1_200)));
        nanos += 40_000_000L;
        timeline.mark(BootStep.MANIFEST);

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "morgana: boot jvm at 1.200 s (kernel start to init)",
                "morgana: boot main at 2.500 s (+1.300 s)",
                "morgana: boot manifest at 2.790 s (+0.290 s)");
    }

    @Test
    void theFirstAcceptEndsTheBootWithASummaryOfEveryStep() {
        timeline.calibrate(Duration.ofSeconds(3), Optional.empty());
        for (BootStep step : BootStep.values()) {
            if (step == BootStep.JVM) {
                continue; // the kernel's step: known from /proc, not marked
            }
            nanos += 100_000_000L;
            timeline.mark(step);
        }
        timeline.mark(BootStep.FIRST_ACCEPT); // a later accept is not a first one

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).endsWith(
                "morgana: boot first-accept at 3.600 s (+0.100 s)",
                "morgana: boot timings (kernel uptime, s): main=3.100 manifest=3.200 driver=3.300 link=3.400"
                        + " address=3.500 first-accept=3.600");
    }
}
