package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunAndRetentionTest {

    @Test
    void aDryRunPrintsThePlanAndMakesNoMutatingCall(@TempDir Path tmp) throws Exception {
        SiteBundle newSite = SiteFixtures.exampleBundle();
        Path disk = SiteFixtures.smallDisk(tmp, "new");
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance live = rig.liveSite(SiteFixtures.onePageBundle("old"));
            for (int n = 0; n < 3; n++) {
                rig.aws.cloud.addImage(DeployRig.SITE, "older" + n);
            }
            rig.aws.clearLog();

            BlueGreenDeploy.Outcome outcome = rig.deploy(rig.elasticIpConfig(2), BlueGreenDeploy.StepListener.NONE)
                    .deploy(disk, newSite, true);

            assertThat(rig.aws.actions()).isNotEmpty().doesNotContainAnyElementsOf(FakeAws.MUTATING);
            assertThat(outcome.liveInstance()).isEmpty();
            assertThat(rig.elasticIp.instanceId).isEqualTo(live.id);
            assertThat(rig.aws.cloud.snapshots).hasSize(4);
            String out = rig.output();
            assertThat(out).contains("plan for site notes: bundle " + newSite.bundleHash().substring(0, 12))
                    .contains("now:      Elastic IP 127.0.0.2").contains("-> " + live.id)
                    .contains("upload the 1024.0 MiB disk (1.5 MiB of non-zero blocks)")
                    .contains("retire:   terminate " + live.id + "; deregister ")
                    .contains("dry run: nothing was changed");
            Files.writeString(Path.of("target", "ec2-dry-run-plan.txt"), out);
        }
    }

    @Test
    void retentionKeepsTheNewImageAndTheNewestOthersAndPrunesExactlyTheRest(@TempDir Path tmp) throws Exception {
        SiteBundle newSite = SiteFixtures.exampleBundle();
        Path disk = SiteFixtures.smallDisk(tmp, "new");
        try (DeployRig rig = new DeployRig()) {
            FakeCloud cloud = rig.aws.cloud;
            FakeCloud.FakeImage oldest = cloud.addImage(DeployRig.SITE, "oldest");
            FakeCloud.FakeImage older = cloud.addImage(DeployRig.SITE, "older");
            FakeCloud.FakeImage previous = cloud.addImage(DeployRig.SITE, "previous");
            FakeCloud.FakeImage otherSite = cloud.addImage("another-site", "theirs");
            rig.liveSite(SiteFixtures.onePageBundle("live"));
            FakeCloud.FakeImage live = cloud.images.values().stream()
                    .filter(i -> i.created().isAfter(otherSite.created())).findFirst().orElseThrow();
            rig.bundles.put(newSite.bundleHash(), newSite);

            BlueGreenDeploy.Outcome outcome = rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(disk, newSite, false);

            assertThat(cloud.images.keySet()).containsExactlyInAnyOrder(outcome.imageId().orElseThrow(), live.id(),
                    previous.id(), otherSite.id());
            Set<String> kept = Set.of(live.snapshotId(), previous.snapshotId(), otherSite.snapshotId(),
                    cloud.images.get(outcome.imageId().get()).snapshotId());
            assertThat(cloud.snapshots.keySet()).containsExactlyInAnyOrderElementsOf(kept);
            assertThat(rig.aws.calls()).filteredOn(c -> c.action().equals("DeregisterImage"))
                    .extracting(FakeAws.Call::detail).containsExactlyInAnyOrder("ImageId=" + oldest.id(),
                            "ImageId=" + older.id());
            assertThat(List.of(oldest.snapshotId(), older.snapshotId())).noneMatch(cloud.snapshots::containsKey);
        }
    }
}
