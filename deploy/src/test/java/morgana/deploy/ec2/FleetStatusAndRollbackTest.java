package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetStatusAndRollbackTest {

    @Test
    void statusShowsTheInstancesPerZoneWithTheirImageBundleAndHealth(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome outcome = rig.deploy(rig.config(), update.newSite(), update.disk());
            rig.aws.clearLog();

            List<String> status = rig.deploy(rig.config(), FleetDeploy.StepListener.NONE).status();

            String hash = SiteTags.shortHash(update.newSite().bundleHash());
            String image = outcome.imageId().orElseThrow();
            assertThat(status.getFirst()).isEqualTo("fleet notes: load balancer morgana-notes at "
                    + outcome.address().orElseThrow());
            assertThat(status).contains("  group morgana-notes: 3 instances (desired 3, 2 to 4), launching version 1"
                    + " (default 1)", "  eu-west-1a: 2 instances", "  eu-west-1b: 1 instance");
            for (String id : outcome.instances()) {
                assertThat(status).anySatisfy(line -> assertThat(line).startsWith("    " + id + " InService healthy,"
                        + " target healthy, version 1, image " + image + ", bundle " + hash
                        + ", health endpoint serves " + hash));
            }
            assertThat(status).anySatisfy(line -> assertThat(line).startsWith("  image " + image + " bundle " + hash)
                    .endsWith(", launch template version 1"));
            assertThat(rig.aws.actions()).doesNotContainAnyElementsOf(FakeAws.MUTATING);
        }
    }

    @Test
    void statusTellsOfAnInstanceThatDoesNotAnswer(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome outcome = rig.deploy(rig.config(), update.newSite(), update.disk());
            String down = outcome.instances().getFirst();
            rig.rig.stop(rig.aws.cloud.instances.get(down).publicIp);

            List<String> status = rig.deploy(rig.config(), FleetDeploy.StepListener.NONE).status();

            assertThat(status).anySatisfy(line -> assertThat(line).startsWith("    " + down)
                    .contains("target unhealthy").contains("health endpoint no answer"));
        }
    }

    @Test
    void rollbackRollsTheFleetToThePreviousVersionAndMakesItTheDefault(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.deploy(rig.config(), update.newSite(), update.disk());
            rig.watch();

            FleetDeploy.Outcome back = rig.deploy(rig.config(), FleetDeploy.StepListener.NONE).rollback();

            assertThat(rig.fewestServing()).isGreaterThanOrEqualTo(3);
            assertThat(rig.members()).hasSize(3).allSatisfy(m -> {
                assertThat(m.version).isEqualTo(1);
                assertThat(rig.health(m.instanceId)).contains(update.oldSite().bundleHash());
            });
            assertThat(back.instances()).hasSize(3);
            assertThat(rig.template().defaultVersion).isEqualTo(1);
            assertThat(rig.aws.cloud.running()).isEqualTo(3);
        }
    }

    @Test
    void rollbackWithoutAnEarlierVersionSaysSoAndChangesNothing(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            rig.deploy(rig.config(), update.newSite(), update.disk());
            rig.aws.clearLog();

            assertThatThrownBy(() -> rig.deploy(rig.config(), FleetDeploy.StepListener.NONE).rollback())
                    .isInstanceOf(DeployException.class).hasMessageContaining("no launch template version before 1");
            assertThat(rig.aws.actions()).doesNotContainAnyElementsOf(FakeAws.MUTATING);
        }
    }
}
