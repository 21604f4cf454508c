package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.blog.site.SiteBuilder;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.qemu.QemuBoot;
import morgana.deploy.qemu.RunningVm;
import morgana.e2e.ExampleBlog;
import morgana.e2e.HttpProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PID 1 under qemu, from the console: the boot with DHCP from qemu's user-mode network, its step timings, and
 * the clean shutdown that ctrl-alt-del asks for while a download is under way. One boot covers all three,
 * since boots under TCG are what CI time is made of.
 */
class Pid1BootTest {

    private static final Pattern TIMINGS = Pattern.compile(
            "morgana: boot timings \\(kernel uptime, s\\): jvm=(\\S+) main=(\\S+) manifest=(\\S+) driver=(\\S+)"
                    + " link=(\\S+) address=(\\S+) first-accept=(\\S+)");
    private static final int LONG_POST_BYTES = 3 << 20;

    @Test
    void aDhcpGuestServesTimesItsBootAndOnCtrlAltDelFinishesTheDownloadThenPowersOff(@TempDir Path tmp)
            throws Exception {
        Path site = BootSites.exampleWithImage(tmp.resolve("site"), """
                  network: { mode: dhcp }
                  shutdown_drain: 90
                """);
        String slug = BootSites.addLongPost(site, LONG_POST_BYTES);
        String longPost = SiteBuilder.build(site).byPath().keySet().stream().filter(p -> p.contains(slug))
                .findFirst().orElseThrow();
        BuiltImage image = BootSites.qemuImage(site, tmp.resolve("image"));
        int port = TargetBoots.freePort();

        try (RunningVm vm = QemuBoot.start(image.dir(), port, tmp.resolve("console.log"))) {
            HttpProbe.awaitOk(vm.url(), TargetBoots.BOOT_PATIENCE, () -> "guest console:\n" + vm.console());
            String console = vm.console();
            assertThat(console).as(console).contains("morgana: stack on 52:54:00:12:34:56, address by DHCP",
                    "morgana: leased 10.0.2.15/24 via 10.0.2.2 by DHCP", "morgana: serving 10.0.2.15:80");
            assertThat(vm.awaitConsole("morgana: boot timings", Duration.ofSeconds(10))).as(vm.console()).isTrue();
            List<Double> timings = timings(vm.console());
            assertThat(timings).as("each step after the one before\n%s", vm.console()).isSorted();
            assertThat(timings.getFirst()).as("the kernel takes some time before init").isPositive();
            System.out.println("DHCP boot under " + vm.accelerator() + ": " + timingsLine(vm.console()));

            try (SlowDownload download = SlowDownload.start(port, longPost)) {
                assertThat(download.read(256 * 1024, 4096, 5)).as("the first 256 KiB").isTrue();
                assertThat(download.headers()).startsWith("HTTP/1.1 200");
                vm.pressCtrlAltDelete();
                assertThat(vm.awaitConsole("morgana: shutdown: SIGINT (ctrl-alt-del)", Duration.ofSeconds(30)))
                        .as(vm.console()).isTrue();
                while (download.read(64 * 1024, 8192, 2)) {
                    // the rest, still slowly, while the guest drains
                }
                assertThat(download.bodyBytes()).as("the whole page, after the shutdown began\n%s", vm.console())
                        .isEqualTo(download.contentLength()).isGreaterThan(LONG_POST_BYTES);
                assertThat(download.body()).endsWith("</html>\n");
            }
            OptionalInt exit = vm.waitForExit(Duration.ofSeconds(120));
            assertThat(exit).as("qemu exits on its own once the guest powers off\n%s", vm.console()).isPresent();
            assertThat(vm.console()).as(vm.console())
                    .containsPattern("morgana: shutdown: (\\d+) of \\1 open connections finished\\r?\\n")
                    .contains("morgana: powering off")
                    .doesNotContain("morgana: fatal", "cut off", "Kernel panic");
        }
    }

    private static List<Double> timings(String console) {
        Matcher m = TIMINGS.matcher(console);
        assertThat(m.find()).as(console).isTrue();
        List<Double> seconds = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            seconds.add(Double.parseDouble(m.group(i)));
        }
        return seconds;
    }

    private static String timingsLine(String console) {
        Matcher m = TIMINGS.matcher(console);
        return m.find() ? m.group() : "";
    }
}
