package morgana.kernel.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import morgana.kernel.testing.ChildJvm;
import morgana.kernel.testing.NetworkNamespace;
import org.junit.jupiter.api.Test;

/** A real TAP device inside a throwaway network namespace, pinged by the real Linux stack. */
class TapDeviceTest {

    @Test
    void answersArpAndPingFromTheHostSideOfTheTap() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create();
                ChildJvm responder = ChildJvm.start(ns, TapResponder.class, "mtap0", "10.77.0.2", "30")) {
            String wakeup = responder.awaitLine(l -> l.startsWith("wakeup-ms "), Duration.ofSeconds(20));
            assertThat(Long.parseLong(wakeup.substring("wakeup-ms ".length()))).isBetween(50L, 3000L);
            assertThat(responder.awaitLine(l -> l.startsWith("ready "), Duration.ofSeconds(10)))
                    .isEqualTo("ready mtap0 mtu 1500");

            ns.ip("addr", "add", "10.77.0.1/24", "dev", "mtap0");
            ns.ip("link", "set", "mtap0", "up");
            var ping = ns.run(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", "10.77.0.2");

            assertThat(ping.output()).as("ping output; responder printed:%n%s", responder.output())
                    .contains("2 packets transmitted, 2 received");
            assertThat(ping.exitCode()).isZero();
            responder.awaitLine(l -> l.startsWith("arp who-has 10.77.0.2 from "), Duration.ofSeconds(5));
            responder.awaitLine(l -> l.equals("echo request seq 2"), Duration.ofSeconds(5));
            assertThat(ns.ip("neigh", "show", "dev", "mtap0")).contains("10.77.0.2 lladdr 02:00:00:77:00:02");
        }
    }

    @Test
    void aPersistentTapKeepsItsHostSideAfterCloseUntilPersistenceIsTurnedOff() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create();
                ChildJvm probe = ChildJvm.start(ns, TapSetupProbe.class, "persist", "mtap5")) {
            assertThat(probe.awaitExit(Duration.ofSeconds(30))).as(probe.output()).isZero();
            assertThat(probe.output().lines()).as(probe.output()).contains(
                    "ran [ip address replace 10.76.0.1/24 dev mtap5, ip link set dev mtap5 up]",
                    "attached again to mtap5");
            assertThat(probe.output()).containsPattern("after close: \\d+: mtap5 +inet 10\\.76\\.0\\.1/24")
                    .contains("after persistence off: Device \"mtap5\" does not exist.");
        }
    }

    @Test
    void withoutCapNetAdminTheRefusalSaysWhatIsMissing() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create();
                ChildJvm probe = ChildJvm.startWrapped(ns, List.of("setpriv", "--bounding-set", "-net_admin",
                        "--inh-caps", "-net_admin"), TapSetupProbe.class, "open", "mtap6")) {
            assertThat(probe.awaitExit(Duration.ofSeconds(30))).as(probe.output()).isZero();
            assertThat(probe.output()).as(probe.output()).contains("refused: TUNSETIFF mtap6: EPERM")
                    .contains("needs root or CAP_NET_ADMIN");
        }
    }

    @Test
    void withoutTheTunDeviceNodeTheRefusalSaysHowToGetOne() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create();
                ChildJvm probe = ChildJvm.startWrapped(ns, List.of("unshare", "--mount", "--propagation", "private",
                        "sh", "-c", "mount -t tmpfs none /dev/net && exec \"$@\"", "sh"), TapSetupProbe.class,
                        "open", "mtap7")) {
            assertThat(probe.awaitExit(Duration.ofSeconds(30))).as(probe.output()).isZero();
            assertThat(probe.output()).as(probe.output()).contains("refused: open /dev/net/tun: ENOENT")
                    .contains("load the tun module (modprobe tun) or create /dev/net/tun");
        }
    }

    @Test
    void refusesANameTheKernelWouldNot() {
        assertThatThrownBy(() -> TapDevice.open("a-name-longer-than-15"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 15 ASCII characters");
    }
}
