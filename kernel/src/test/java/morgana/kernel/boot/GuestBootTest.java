package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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

    @Test
    void sigtermClosesAnAnsweredConnectionWithAFinThenSyncsAndPowersOffWhileSighupIsIgnored() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "host0");
            ns.ip("addr", "add", "10.79.0.1/24", "dev", "host0");
            ns.ip("link", "set", "host0", "up");
            try (ChildJvm guest = ChildJvm.startBare(ns, GuestBootProbe.class, "7")) {
                guest.awaitLine(l -> l.startsWith("morgana: serving ") || l.startsWith("morgana: fatal"),
                        Duration.ofSeconds(30));
                Process client = new ProcessBuilder(ns.exec(List.of("bash", "-c",
                        "exec 3<>/dev/tcp/10.79.0.2/7 && printf 'hello pid 1' >&3 && head -c 11 <&3 && echo"
                                + " && timeout 20 cat <&3; echo \"end $?\""))).redirectErrorStream(true).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    assertThat(out.readLine()).as(guest.output()).isEqualTo("HELLO PID 1");

                    guest.signal("HUP");
                    guest.signal("TERM");

                    assertThat(out.readLine()).as("cat ends at the FIN, not at its timeout\n%s", guest.output())
                            .isEqualTo("end 0");
                }
                assertThat(guest.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(guest.output().lines()).as(guest.output()).containsSubsequence(
                        "morgana: shutdown: SIGTERM; accepting no more connections, letting open ones finish (up to 10 s)",
                        "morgana: shutdown: 1 of 1 open connections finished",
                        "synced", "morgana: powering off", "would power off");
                assertThat(guest.output()).doesNotContain("morgana: fatal", "SIGHUP");
            }
        }
    }

    @Test
    void bootsOnEth0AndServesOverOurStackWhileLinuxStaysOffTheLink() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "host0");
            ns.ip("addr", "add", "10.79.0.1/24", "dev", "host0");
            ns.ip("link", "set", "host0", "up");
            try (ChildJvm guest = ChildJvm.startBare(ns, GuestBootProbe.class, "7")) {
                guest.awaitLine(l -> l.startsWith("morgana: serving ") || l.startsWith("morgana: fatal"),
                        Duration.ofSeconds(30));
                assertThat(guest.output().lines()).as(guest.output()).contains(
                        "morgana: mounted /proc", "morgana: mounted /sys",
                        "morgana: hostname guest", "morgana: application ready", "morgana: no driver modules to load",
                        "morgana: set eth0's MAC to " + GuestBootProbe.MAC,
                        "morgana: eth0: Linux's own IPv6 off", "morgana: eth0 is up",
                        "morgana: opened a packet socket on eth0 (MTU 1500, virtio-net header: segmentation and"
                                + " checksum offload)",
                        "morgana: eth0: generic receive offload on (merged segments arrive whole)",
                        "morgana: stack 10.79.0.2/24 via 10.79.0.1 on " + GuestBootProbe.MAC,
                        "morgana: serving 10.79.0.2:7");
                assertThat(guest.output()).containsPattern("(?m)^morgana: entropy: the kernel's random generator was"
                        + " seeded \\d+ ms after the mounts \\(PID 1 waited \\d+ ms for it here\\)$").containsPattern("(?m)^morgana: clock: \\S+");

                var ping = ns.run(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", "10.79.0.2");
                assertThat(ping.output()).as(guest.output()).contains("2 packets transmitted, 2 received");
                var tcp = ns.run(Duration.ofSeconds(20), "bash", "-c",
                        "exec 3<>/dev/tcp/10.79.0.2/7 && printf 'hello pid 1' >&3 && timeout 5 head -c 11 <&3");
                assertThat(tcp.output()).as(guest.output()).isEqualTo("HELLO PID 1");

                assertThat(ns.ip("-o", "link", "show", "eth0")).containsPattern("<[^>]*\\bUP\\b")
                        .contains("link/ether " + GuestBootProbe.MAC);
                assertThat(ns.ip("-6", "addr", "show", "dev", "eth0")).as("Linux holds no address on eth0").isBlank();
                assertThat(ns.ip("-4", "addr", "show", "dev", "eth0")).isBlank();
            }
        }
    }
}
