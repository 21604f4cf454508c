package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.qemu.QemuBoot;
import morgana.deploy.qemu.RunningVm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fatal paths of PID 1 under qemu, read from the console: each prints what failed and a report, then
 * powers the machine off (qemu exits on its own) instead of leaving the kernel to panic.
 */
class FatalBootTest {

    /** Boot to the failure: the kernel, the JVM, the steps, then the failure's own wait. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void aForcedOutOfMemoryErrorIsReportedWithCountersAndPowersTheMachineOff(@TempDir Path tmp) throws Exception {
        String console = bootUntilPowerOff(tmp, """
                  test_fault: oom
                """);

        assertThat(console).as(console)
                .contains("morgana: test.fault=oom: provoking it now, as the manifest asks")
                .containsPattern("morgana: fatal: OutOfMemoryError: Java heap space in thread morgana-test-fault, uncaught")
                .containsPattern("morgana: report: uptime \\d+\\.\\d{3} s; frames in \\d+ out \\d+, tcp segments in \\d+"
                        + " out \\d+, retransmissions \\d+, drops \\d+, connections open \\d+; packet socket received \\d+,"
                        + " dropped by the kernel \\d+; heap \\d+ of \\d+ MiB used")
                .contains("morgana: powering off")
                .doesNotContain("Kernel panic");
    }

    @Test
    void aManifestNamingANicTheMachineLacksPowersOffWithTheReason(@TempDir Path tmp) throws Exception {
        String console = bootUntilPowerOff(tmp, """
                  interface: eth7
                """);

        assertThat(console).as(console)
                .contains("morgana: fatal: no network interface eth7 after 10000 ms")
                .containsPattern("morgana: report: uptime \\d+\\.\\d{3} s; not serving yet")
                .contains("morgana: powering off")
                .doesNotContain("morgana: serving", "Kernel panic");
    }

    private static String bootUntilPowerOff(Path tmp, String imageSection) throws Exception {
        Path site = BootSites.exampleWithImage(tmp.resolve("site"), imageSection);
        BuiltImage image = BootSites.qemuImage(site, tmp.resolve("image"));
        try (RunningVm vm = QemuBoot.start(image.dir(), TargetBoots.freePort(), tmp.resolve("console.log"))) {
            OptionalInt exit = vm.waitForExit(PATIENCE);
            assertThat(exit).as("qemu exits on its own once the guest powers off\n%s", vm.console()).isPresent();
            return vm.console();
        }
    }
}
