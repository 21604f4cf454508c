package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS calls of a rollout, in order, against a recorded snapshot: a change in what a deploy asks of AWS
 * shows up as a diff to review. {@code -Dfleet.snapshot.update=true} records the snapshot anew.
 */
class FleetCallLogTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/morgana/deploy/ec2/fleet-rollout-calls.txt");

    @Test
    void aRolloutOfThreeInstancesMakesTheRecordedCallsInTheRecordedOrder(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.aws.clearLog();

            rig.deploy(rig.config(), update.newSite(), update.disk());

            List<String> log = rig.aws.foldedLog();
            Files.write(Path.of("target", "fleet-rollout-calls.txt"), log);
            Files.writeString(Path.of("target", "fleet-rollout-output.txt"), rig.output());
            if (Boolean.getBoolean("fleet.snapshot.update") || !Files.exists(SNAPSHOT)) {
                Files.createDirectories(SNAPSHOT.getParent());
                Files.write(SNAPSHOT, log, StandardCharsets.UTF_8);
            }
            System.out.println("fleet rollout call log:\n  " + String.join("\n  ", log));
            assertThat(log).as("the calls of a rollout (target/fleet-rollout-calls.txt) against " + SNAPSHOT)
                    .containsExactlyElementsOf(Files.readAllLines(SNAPSHOT, StandardCharsets.UTF_8));
        }
    }
}
