package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dry-run} for a fleet: the plan from what AWS describes, and not one call that changes anything. */
class FleetDryRunTest {

    @Test
    void aDryRunBeforeAnyFleetExistsPlansEveryResourceAndChangesNothing(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome outcome = rig.deploy(rig.config(), FleetDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), true);

            assertThat(rig.aws.actions()).isNotEmpty().doesNotContainAnyElementsOf(FakeAws.MUTATING);
            assertThat(outcome.instances()).isEmpty();
            assertThat(rig.fleet.groups).isEmpty();
            assertThat(rig.output()).contains("now:      no fleet yet")
                    .contains("create ALB morgana-notes in subnet-0aaa (eu-west-1a), subnet-0bbb (eu-west-1b)")
                    .contains("create morgana-notes with 3 instances (2 to 4)")
                    .contains("dry run: nothing was changed");
        }
    }

    @Test
    void aDryRunOnALiveFleetPlansTheRolloutAndChangesNothing(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome live = rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.aws.clearLog();

            rig.deploy(rig.config(), FleetDeploy.StepListener.NONE).deploy(update.disk(), update.newSite(), true);

            assertThat(rig.aws.actions()).isNotEmpty().doesNotContainAnyElementsOf(FakeAws.MUTATING);
            assertThat(rig.members()).extracting(m -> m.instanceId).containsExactlyInAnyOrderElementsOf(live.instances());
            String out = rig.output().substring(rig.output().lastIndexOf("plan for fleet"));
            assertThat(out).contains("now:      launch template version 1 (bundle "
                            + SiteTags.shortHash(update.oldSite().bundleHash()))
                    .contains("replace 3 instances, at most 1 at a time, 3 of 3 serving throughout")
                    .contains("failure:  back to launch template version 1")
                    .contains("dry run: nothing was changed");
            Files.writeString(Path.of("target", "fleet-dry-run-plan.txt"), out);
        }
    }
}
