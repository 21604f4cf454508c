package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import morgana.kernel.testing.ChildJvm;
import morgana.kernel.testing.NetworkNamespace;
import org.junit.jupiter.api.Test;

/**
 * PID 1's boot end to end on this machine: a JVM that starts without /proc and /sys in a namespace whose
 * only NIC is eth0 (one end of a veth pair), serving a TCP application on our stack; Linux's ping and TCP
 * on the other end are the clients.
 */
class GuestBootTest {

    @Test
    void aFatalErrorIsPrintedSyncedAndPowersOffAfterTheStepsBeforeIt() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "host0");
            try (ChildJvm guest = ChildJvm.startBare(ns, GuestBootProbe.class, "7", "/lib/modules/morgana-none.ko")) {
                assertThat(guest.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
                assertThat(guest.output().lines()).containsSubsequence(
                        "morgana: mounted /proc", "morgana: mounted /sys", "morgana: hostname guest",
                        "morgana: fatal: open /lib/modules/morgana-none.ko: ENOENT: the module is not in the initramfs"
                                + " (check the image's driver list)",
                        "synced", "morgana: powering off", "would power off", "exit 1");
                assertThat(guest.output()).doesNotContain("eth0 is up");
            }
            assertThat(ns.ip("-o", "link", "show", "eth0")).doesNotContainPattern("<[^>]*\\bUP\\b");
        }
    }
}
