package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EC2 target: a GPT disk with a UKI on its EFI system partition, booted by OVMF as EC2's UEFI would. */
class Ec2UefiBootTest {

    @Test
    void theEc2DiskBootsUnderOvmfAndServesTheBlog(@TempDir Path tmp) throws Exception {
        BuiltImage image = TargetBoots.build(new ImageTarget.Ec2(), tmp.resolve("ec2"));

        assertThat(image.disk()).isRegularFile();
        assertThat(Files.size(image.disk()) % (1L << 30)).as("a whole number of GiB, as EBS volumes are").isZero();
        assertThat(image.properties().get("modules")).contains("ena");
        assertThat(image.properties().get("disk.sha256")).isEqualTo(BuiltImage.sha256(image.disk()));
        System.out.printf("ec2 image: disk %s bytes (%s used), sha256 %s%n", image.properties().get("disk.size"),
                image.properties().get("disk.used"), image.properties().get("disk.sha256"));

        TargetBoots.bootAndServe(image, tmp.resolve("console.log"));
        assertThat(Files.readString(tmp.resolve("console.log"))).as("UEFI firmware started the disk's loader")
                .contains("BdsDxe: starting");
    }
}
