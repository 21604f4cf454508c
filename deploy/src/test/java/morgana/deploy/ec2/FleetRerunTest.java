package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet deploy killed before any step, or between two batches of its rollout (the process gone, nothing
 * cleaned up, the group's processes still suspended), is finished by running it again: the rerun finds the
 * image, the launch template version and the instances already replaced, and makes none of them twice.
 */
class FleetRerunTest {

    /** Stands for the process being killed: not an exception the deploy handles, so nothing is cleaned up. */
    static final class ProcessKilled extends Error {
        ProcessKilled(String where) {
            super("killed before " + where);
        }
    }

    static Stream<Arguments> kills() {
        return Stream.concat(Stream.of(FleetDeploy.Step.values()).map(s -> Arguments.of(s.name(), s, 0)),
                Stream.of(Arguments.of("batch 2", null, 2), Arguments.of("batch 3", null, 3)));
    }

    @ParameterizedTest(name = "killed before {0}")
    @MethodSource("kills")
    void aFleetDeployKilledPartWayConvergesWhenRunAgain(String where, FleetDeploy.Step step, int batch,
                                                        @TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome before = rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.rig.bundles.put(update.newSite().bundleHash(), update.newSite());
            FleetDeploy.StepListener killer = new FleetDeploy.StepListener() {
                @Override
                public void beforeStep(FleetDeploy.Step s) {
                    if (s == step) {
                        throw new ProcessKilled(where);
                    }
                }

                @Override
                public void beforeBatch(int b) {
                    if (b == batch) {
                        throw new ProcessKilled(where);
                    }
                }
            };
            assertThatThrownBy(() -> rig.deploy(rig.config(), killer).deploy(update.disk(), update.newSite(), false))
                    .isInstanceOf(ProcessKilled.class);
            rig.watch();

            FleetDeploy.Outcome rerun = rig.deploy(rig.config(), update.newSite(), update.disk());

            assertThat(rig.fewestServing()).as("instances serving throughout the rerun").isGreaterThanOrEqualTo(3);
            assertThat(rig.members()).hasSize(3).allSatisfy(m -> {
                assertThat(m.version).isEqualTo(2);
                assertThat(rig.health(m.instanceId)).contains(update.newSite().bundleHash());
            });
            assertThat(rerun.instances()).doesNotContainAnyElementsOf(before.instances());
            assertThat(rig.aws.cloud.running()).as("nothing left running but the fleet").isEqualTo(3);
            assertThat(rig.template().versions).as("one version per image").hasSize(2);
            assertThat(rig.template().defaultVersion).isEqualTo(2);
            assertThat(rig.fleet.groups.get("morgana-notes").suspended).isEmpty();
            assertThat(rig.fleet.groups.get("morgana-notes").desired).isEqualTo(3);
            assertThat(rig.aws.cloud.images.values()).filteredOn(i -> i.tags().get(SiteTags.BUNDLE_HASH)
                    .equals(update.newSite().bundleHash())).hasSize(1);
            assertThat(rig.aws.count("StartSnapshot")).as("one upload per bundle").isEqualTo(2);
        }
    }
}
