package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackTest {

    @Test
    void rollbackLaunchesThePreviousImageChecksItsHealthAndMovesTheAddressBack(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance first = rig.liveBefore(update);
            rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), false);
            assertThat(rig.publicHealth()).contains(update.newSite().bundleHash());

            BlueGreenDeploy.Outcome back = rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .rollback();

            assertThat(back.imageId()).contains(first.imageId);
            assertThat(rig.elasticIp.instanceId).isEqualTo(back.liveInstance().orElseThrow());
            assertThat(rig.publicHealth()).contains(update.oldSite().bundleHash());
            assertThat(rig.aws.cloud.running()).isEqualTo(1);
            assertThat(rig.aws.cloud.instances.get(back.liveInstance().get()).tags).containsEntry(SiteTags.ROLE, "live");
        }
    }

    @Test
    void rollbackWithoutAnOlderImageSaysSoAndChangesNothing() throws Exception {
        try (DeployRig rig = new DeployRig()) {
            SiteBundle only = SiteFixtures.onePageBundle("only");
            FakeCloud.FakeInstance live = rig.liveSite(only);
            rig.aws.clearLog();

            assertThatThrownBy(() -> rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE).rollback())
                    .isInstanceOf(DeployException.class).hasMessageContaining("no image older than " + live.imageId);
            assertThat(rig.aws.actions()).doesNotContainAnyElementsOf(FakeAws.MUTATING);
        }
    }
}
