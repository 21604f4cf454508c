package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import morgana.deploy.qemu.QemuBoot;
import morgana.deploy.qemu.RunningVm;
import morgana.e2e.HttpProbe;
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

    /** EC2 stops and terminates an instance (an Auto Scaling group's, once drained) with the ACPI power button. */
    @Test
    void theEc2GuestPowersOffCleanlyOnTheAcpiPowerButton(@TempDir Path tmp) throws Exception {
        BuiltImage image = TargetBoots.build(new ImageTarget.Ec2(), tmp.resolve("ec2"));
        assertThat(image.properties().get("modules")).contains("button", "evdev");

        try (RunningVm vm = QemuBoot.start(image.dir(), TargetBoots.freePort(), tmp.resolve("console.log"))) {
            HttpProbe.awaitOk(vm.url(), TargetBoots.BOOT_PATIENCE, () -> "guest console:\n" + vm.console());
            assertThat(vm.console()).as(vm.console()).contains("morgana: power button: /dev/input/event");

            vm.monitor("system_powerdown");

            assertThat(vm.awaitConsole("morgana: shutdown: ACPI power button", Duration.ofSeconds(30)))
                    .as(vm.console()).isTrue();
            assertThat(vm.waitForExit(Duration.ofSeconds(60))).as("qemu exits once the guest powers off\n%s",
                    vm.console()).isPresent();
            assertThat(vm.console()).as(vm.console()).contains("morgana: powering off")
                    .doesNotContain("morgana: fatal", "Kernel panic");
        }
    }
}
