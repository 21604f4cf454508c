package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout whose second new instance fails stops there: nothing more of the old fleet is drained, the group
 * goes back to the launch template version it was on, the instance that did pass is replaced too, and the
 * old site serves from as many instances as before, throughout.
 */
class FleetRolloutFailureTest {

    @Test
    void aNewInstanceThatNeverPassesItsHealthCheckStopsTheRolloutAndRevertsToThePreviousVersion(@TempDir Path tmp)
            throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            failSecondInstanceOf(rig, update.newSite());
            rig.watch();

            assertThatThrownBy(() -> rig.deploy(rig.config(), update.newSite(), update.disk()))
                    .isInstanceOf(DeployException.class).hasMessageStartingWith("roll out: ")
                    .hasMessageContaining("rolled back to launch template version 1");

            java.nio.file.Files.write(Path.of("target", "fleet-failed-rollout-calls.txt"), rig.aws.foldedLog());
            java.nio.file.Files.writeString(Path.of("target", "fleet-failed-rollout-output.txt"), rig.output());
            assertThat(rig.fewestServing()).as("instances serving throughout, the revert included")
                    .isGreaterThanOrEqualTo(3);
            assertThat(rig.members()).hasSize(3).allSatisfy(m -> {
                assertThat(m.version).isEqualTo(1);
                assertThat(rig.health(m.instanceId)).contains(update.oldSite().bundleHash());
            });
            assertThat(rig.fleet.groups.get("morgana-notes").version).isEqualTo("1");
            assertThat(rig.fleet.groups.get("morgana-notes").suspended).isEmpty();
            assertThat(rig.template().defaultVersion).as("the failed version never became the default").isEqualTo(1);
            assertThat(rig.aws.cloud.running()).as("no instance of the failed rollout left running").isEqualTo(3);
            assertThat(rig.output()).contains("rollout stopped: ").contains("going back to launch template version 1");
        }
    }

    @Test
    void aNewInstanceServingAnotherBundleStopsTheRolloutAtOnce(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome before = rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            SiteBundle stale = SiteFixtures.onePageBundle("stale");
            rig.rig.boots = i -> Optional.of(i.tags.get(SiteTags.BUNDLE_HASH).equals(update.newSite().bundleHash())
                    ? stale : update.oldSite());

            assertThatThrownBy(() -> rig.deploy(rig.config(), update.newSite(), update.disk()))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("serves bundle " + SiteTags.shortHash(stale.bundleHash()) + " instead of "
                            + SiteTags.shortHash(update.newSite().bundleHash()));

            assertThat(rig.aws.calls()).as("only the failed instance drained, no old one")
                    .filteredOn(c -> c.action().equals("DeregisterTargets")).singleElement()
                    .satisfies(c -> assertThat(before.instances()).noneMatch(c.detail()::contains));
            assertThat(rig.members()).extracting(m -> m.instanceId)
                    .containsExactlyInAnyOrderElementsOf(before.instances());
            assertThat(rig.members()).allSatisfy(m ->
                    assertThat(rig.health(m.instanceId)).contains(update.oldSite().bundleHash()));
        }
    }

    /** Instances of the new bundle boot, except the second, which never answers (its console says why). */
    private static void failSecondInstanceOf(FleetRig rig, SiteBundle newSite) {
        AtomicInteger launched = new AtomicInteger();
        var boots = rig.rig.boots;
        rig.rig.boots = i -> {
            if (i.tags.get(SiteTags.BUNDLE_HASH).equals(newSite.bundleHash()) && launched.incrementAndGet() == 2) {
                rig.aws.cloud.consoles.put(i.id, "Kernel panic - not syncing: VFS\n");
                return Optional.empty();
            }
            return boots.apply(i);
        };
    }
}
