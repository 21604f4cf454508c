package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A deploy killed between any two steps (the process gone, nothing cleaned up) is finished by running it
 * again: the rerun finds the snapshot, image and instance the first run made by their tags and makes no
 * second one.
 */
class DeployRerunTest {

    /** Stands for the process being killed: not an exception the deploy handles, so nothing is cleaned up. */
    static final class ProcessKilled extends Error {
        ProcessKilled(BlueGreenDeploy.Step step) {
            super("killed before " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(BlueGreenDeploy.Step.class)
    void aDeployKilledBeforeAStepConvergesWhenRunAgain(BlueGreenDeploy.Step killedBefore, @TempDir Path tmp)
            throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance old = rig.liveBefore(update);
            DeployConfig config = rig.elasticIpConfig(3);

            assertThatThrownBy(() -> rig.deploy(config, step -> {
                if (step == killedBefore) {
                    throw new ProcessKilled(step);
                }
            }).deploy(update.disk(), update.newSite(), false)).isInstanceOf(ProcessKilled.class);
            long uploadsBefore = rig.aws.count("StartSnapshot");
            long launchesBefore = rig.aws.count("RunInstances");

            BlueGreenDeploy.Outcome rerun = rig.deploy(config, BlueGreenDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), false);

            FakeCloud cloud = rig.aws.cloud;
            assertThat(rig.elasticIp.instanceId).isEqualTo(rerun.liveInstance().orElseThrow());
            assertThat(rig.publicHealth()).contains(update.newSite().bundleHash());
            assertThat(cloud.running()).isEqualTo(1);
            assertThat(old.state).isNotEqualTo("running");
            assertThat(rig.aws.count("StartSnapshot")).as("one upload in all").isEqualTo(1);
            assertThat(rig.aws.count("RunInstances")).as("one launch in all").isEqualTo(1);
            assertThat(rig.aws.count("StartSnapshot") - uploadsBefore + rig.aws.count("RunInstances") - launchesBefore)
                    .as("the rerun redid nothing the first run had done").isLessThanOrEqualTo(
                            killedBefore.compareTo(BlueGreenDeploy.Step.LAUNCH) <= 0 ? 2 : 0);
            assertThat(cloud.images.values()).filteredOn(i -> i.tags().get(SiteTags.BUNDLE_HASH)
                    .equals(update.newSite().bundleHash())).hasSize(1);
            assertThat(cloud.instances.get(rerun.liveInstance().get()).tags).containsEntry(SiteTags.ROLE, "live");
        }
    }

    @Test
    void anUploadThatNeverCompletedIsDeletedAndDoneAgain(@TempDir Path tmp) throws Exception {
        SiteBundle newSite = SiteFixtures.exampleBundle();
        Path disk = SiteFixtures.smallDisk(tmp, "new");
        try (DeployRig rig = new DeployRig()) {
            rig.liveSite(SiteFixtures.onePageBundle("old"));
            rig.bundles.put(newSite.bundleHash(), newSite);
            rig.aws.inject("CompleteSnapshot", FakeAws.Fault.FAIL);
            assertThatThrownBy(() -> rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(disk, newSite, false)).isInstanceOf(DeployException.class);
            List<String> abandoned = rig.aws.cloud.snapshots.values().stream().filter(s -> s.status.equals("pending"))
                    .map(s -> s.id).toList();
            assertThat(abandoned).hasSize(1);
            rig.aws.heal();

            rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE).deploy(disk, newSite, false);

            assertThat(rig.aws.cloud.snapshots).doesNotContainKeys(abandoned.toArray(String[]::new));
            assertThat(rig.aws.cloud.snapshots.values()).allSatisfy(s -> assertThat(s.status).isEqualTo("completed"));
            assertThat(rig.output()).contains("deleted " + abandoned.getFirst() + ", left by an interrupted upload");
        }
    }

    @Test
    void deployingTheLiveBundleAgainChangesNothing(@TempDir Path tmp) throws Exception {
        SiteBundle site = SiteFixtures.exampleBundle();
        Path disk = SiteFixtures.smallDisk(tmp, "same");
        try (DeployRig rig = new DeployRig()) {
            rig.bundles.put(site.bundleHash(), site);
            BlueGreenDeploy.Outcome first = rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(disk, site, false);
            rig.aws.clearLog();

            BlueGreenDeploy.Outcome second = rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(disk, site, false);

            assertThat(second.liveInstance()).isEqualTo(first.liveInstance());
            assertThat(rig.aws.actions()).doesNotContainAnyElementsOf(List.of("StartSnapshot", "RegisterImage",
                    "RunInstances", "AssociateAddress", "TerminateInstances"));
        }
    }
}
