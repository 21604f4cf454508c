package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EBS direct upload against the fake, which checks every block's SHA-256 and the aggregate. */
class SnapshotUploadTest {

    @Test
    void onlyBlocksWithDataAreSentAndTheSnapshotReadsBackAsTheDisk(@TempDir Path tmp) throws Exception {
        Path disk = SiteFixtures.smallDisk(tmp, "x");
        try (DeployRig rig = new DeployRig()) {
            SnapshotUpload.Sent sent = upload(rig, disk);

            FakeCloud.FakeSnapshot s = rig.aws.cloud.snapshots.get(sent.snapshotId());
            assertThat(s.blocks.keySet()).containsExactly(0, 1, 2047);
            assertThat(s.status).isEqualTo("completed");
            assertThat(s.volumeGib).isEqualTo(1);
            assertThat(s.tags).containsEntry(SiteTags.SITE, "notes");
            assertThat(FullDeployTest.snapshotDigest(s, 1L << 30)).isEqualTo(morgana.deploy.image.BuiltImage.sha256(disk));
        }
    }

    @Test
    void aDiskThatIsNotAWholeNumberOfBlocksIsPaddedWithZeros(@TempDir Path tmp) throws Exception {
        Path disk = tmp.resolve("odd.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(SnapshotUpload.BLOCK_SIZE + 1000);
            f.seek(SnapshotUpload.BLOCK_SIZE + 999);
            f.write(7);
        }
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeSnapshot s = rig.aws.cloud.snapshots.get(upload(rig, disk).snapshotId());

            assertThat(s.blocks.keySet()).containsExactly(1);
            assertThat(s.blocks.get(1)[999]).isEqualTo((byte) 7);
            assertThat(s.blocks.get(1)[1000]).isZero();
        }
    }

    @Test
    void aBlockThatKeepsFailingFailsTheUploadWithoutCompletingIt(@TempDir Path tmp) throws Exception {
        Path disk = SiteFixtures.smallDisk(tmp, "x");
        try (DeployRig rig = new DeployRig()) {
            rig.aws.inject("PutSnapshotBlock", FakeAws.Fault.FAIL);

            assertThatThrownBy(() -> upload(rig, disk)).isInstanceOf(DeployException.class)
                    .hasMessageContaining("PutSnapshotBlock").hasMessageContaining("failed 3 times");
            assertThat(rig.aws.count("CompleteSnapshot")).isZero();
        }
    }

    private static SnapshotUpload.Sent upload(DeployRig rig, Path disk) throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new SnapshotUpload(rig.clients.ebs(), 4, DeployRig.FAST.backoff(), out)
                .upload(disk, Map.of(SiteTags.SITE, "notes"), "test");
    }
}
