package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import morgana.blog.bundle.SiteBundle;
import morgana.deploy.image.BuiltImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code morgana deploy ec2} end to end with the example blog's real EC2 disk: the fake stores the snapshot
 * block by block, and the new "instance" is the blog server serving the bundle the disk was built with.
 */
class FullDeployTest {

    @Test
    void aDeployUploadsTheDiskVerifiesEveryPageMovesTheElasticIpAndRetiresTheOldSite() throws Exception {
        BuiltImage image = SiteFixtures.exampleEc2Image();
        SiteBundle bundle = SiteFixtures.exampleBundle();
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance old = rig.liveSite(SiteFixtures.onePageBundle("the old site"));
            rig.bundles.put(bundle.bundleHash(), bundle);
            rig.aws.clearLog();

            BlueGreenDeploy.Outcome outcome = rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(image.disk(), bundle, false);

            String live = outcome.liveInstance().orElseThrow();
            FakeCloud cloud = rig.aws.cloud;
            assertThat(rig.elasticIp.instanceId).isEqualTo(live);
            assertThat(rig.publicHealth()).contains(bundle.bundleHash());
            assertThat(cloud.instances.get(live).tags).containsEntry(SiteTags.ROLE, "live")
                    .containsEntry(SiteTags.BUNDLE_HASH, bundle.bundleHash()).containsEntry(SiteTags.SITE, "notes");
            assertThat(cloud.instances.get(live).httpTokens).as("IMDSv2 required").isEqualTo("required");
            assertThat(cloud.instances.get(live).securityGroupId).isEqualTo("sg-0http");
            assertThat(cloud.instances.get(old.id).state).isIn("shutting-down", "terminated");
            assertThat(cloud.running()).isEqualTo(1);

            FakeCloud.FakeImage registered = cloud.images.get(outcome.imageId().orElseThrow());
            assertThat(registered.attributes()).containsEntry("BootMode", "uefi").containsEntry("EnaSupport", "true")
                    .containsEntry("ImdsSupport", "v2.0").containsEntry("Architecture", "x86_64")
                    .containsEntry("VirtualizationType", "hvm");
            assertThat(registered.tags()).containsEntry(SiteTags.BUNDLE_HASH, bundle.bundleHash());
            FakeCloud.FakeSnapshot snapshot = cloud.snapshots.get(registered.snapshotId());
            assertThat(snapshot.status).isEqualTo("completed");
            assertThat(snapshotDigest(snapshot, Files.size(image.disk())))
                    .as("the snapshot read back is the disk").isEqualTo(image.properties().get("disk.sha256"));
            assertThat((long) snapshot.blocks.size() * SnapshotUpload.BLOCK_SIZE)
                    .as("only blocks with data were sent").isLessThan(Files.size(image.disk()) / 10)
                    .isGreaterThanOrEqualTo(Long.parseLong(image.properties().get("esp.size")));
            assertThat(rig.aws.count("PutSnapshotBlock")).isEqualTo(snapshot.blocks.size());
            assertThat(rig.output()).contains("verified " + live + ": health and " + bundle.size() + " pages match")
                    .containsPattern("uploaded: [0-9.]+ MiB of [0-9.]+ MiB \\(100%\\) at [0-9.]+ MiB/s");

            Path target = Path.of("target");
            Files.writeString(target.resolve("ec2-deploy-output.txt"), rig.output());
            Files.write(target.resolve("ec2-deploy-call-log.txt"), rig.aws.foldedLog());
        }
    }

    @Test
    void aDeployByRoute53UpsertsTheRecordWithALowTtlToTheNewInstance(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance old = rig.liveBefore(update);
            DeployConfig dns = rig.config(new SwitchTarget.DnsRecord(DeployRig.ZONE, DeployRig.RECORD, 60), 3);

            BlueGreenDeploy.Outcome outcome = rig.deploy(dns, BlueGreenDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), false);

            FakeCloud.FakeInstance live = rig.aws.cloud.instances.get(outcome.liveInstance().orElseThrow());
            assertThat(rig.aws.cloud.zones.get(DeployRig.ZONE)).containsEntry(DeployRig.RECORD, live.publicIp);
            assertThat(rig.aws.calls()).filteredOn(c -> c.action().equals("ChangeResourceRecordSets"))
                    .extracting(FakeAws.Call::detail)
                    .containsExactly("UPSERT " + DeployRig.RECORD + " A " + live.publicIp + " TTL 60");
            assertThat(rig.aws.actions()).contains("GetChange").doesNotContain("AssociateAddress");
            assertThat(old.state).isNotEqualTo("running");
            assertThat(rig.elasticIp.instanceId).as("the Elastic IP is not this site's switch").isNotEqualTo(live.id);
        }
    }

    /** SHA-256 of the volume the snapshot describes: the blocks written, zeros everywhere else. */
    static String snapshotDigest(FakeCloud.FakeSnapshot snapshot, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[SnapshotUpload.BLOCK_SIZE];
        for (int index = 0; (long) index * SnapshotUpload.BLOCK_SIZE < size; index++) {
            digest.update(snapshot.blocks.getOrDefault(index, zeros));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

}
