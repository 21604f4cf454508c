package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import morgana.blog.site.SiteBuilder;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.qemu.QemuBoot;
import morgana.deploy.qemu.RunningVm;
import morgana.e2e.ChildProcess;
import morgana.e2e.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet on this machine: three booted images behind nginx (the load balancer's stand-in), all in one
 * network namespace, while a client asks for the front page throughout. One guest is replaced the way a
 * fleet rollout replaces it: a fourth boots and its health endpoint is checked, it is put in service, the
 * old one is marked down (deregistered; nginx's graceful reload drains it), then powered off with the ACPI
 * power button, which it answers by finishing its connections and powering off. No request may fail.
 */
class LocalFleetTest {
    private static final int BALANCER_PORT = 8080;
    private static final List<Integer> GUEST_PORTS = List.of(8081, 8082, 8083, 8084);

    @Test
    void replacingOneOfThreeGuestsBehindTheBalancerFailsNoRequest(@TempDir Path tmp) throws Exception {
        Path site = BootSites.exampleWithImage(tmp.resolve("site"), "  network: { mode: dhcp }\n");
        String hash = SiteBuilder.build(site).bundleHash();
        BuiltImage image = BootSites.qemuImage(site, tmp.resolve("image"));
        List<RunningVm> vms = new ArrayList<>();
        try (NetworkNamespace ns = NetworkNamespace.create("morgana-fleet")) {
            try {
                for (int n = 0; n < 3; n++) {
                    vms.add(boot(ns, image, GUEST_PORTS.get(n), tmp.resolve("console-" + n + ".log")));
                }
                for (int n = 0; n < 3; n++) {
                    awaitHealth(ns, vms.get(n), GUEST_PORTS.get(n), hash);
                }
                Map<Integer, Boolean> upstreams = new LinkedHashMap<>();
                GUEST_PORTS.subList(0, 3).forEach(p -> upstreams.put(p, true));
                try (NginxBalancer balancer = NginxBalancer.start(ns, tmp.resolve("nginx"), BALANCER_PORT, upstreams);
                     ChildProcess client = client(ns, balancer.url(), tmp)) {
                    Thread.sleep(2_000);

                    RunningVm fresh = boot(ns, image, GUEST_PORTS.get(3), tmp.resolve("console-3.log"));
                    vms.add(fresh);
                    awaitHealth(ns, fresh, GUEST_PORTS.get(3), hash);
                    upstreams.put(GUEST_PORTS.get(3), true);
                    upstreams.put(GUEST_PORTS.get(2), false);
                    int beforeReload = balancer.accessLog().size();
                    balancer.reload(upstreams);
                    // the reload is asynchronous: the old worker may take a request or two until it quits
                    Thread.sleep(3_000);
                    int drainedAt = balancer.accessLog().size();

                    RunningVm old = vms.get(2);
                    old.monitor("system_powerdown");
                    assertThat(old.awaitConsole("morgana: shutdown: ACPI power button", Duration.ofSeconds(60)))
                            .as(old.console()).isTrue();
                    assertThat(old.waitForExit(Duration.ofSeconds(120))).as("powered off\n%s", old.console())
                            .isPresent();
                    upstreams.remove(GUEST_PORTS.get(2));
                    balancer.reload(upstreams);
                    Thread.sleep(3_000);
                    // The client stops after the request it is making: killing it would cut that request, which
                    // the shell reports as "Terminated" and nginx logs as a 499, neither a failure of the fleet.
                    Files.createFile(tmp.resolve("client.stop"));
                    assertThat(client.waitForExit(Duration.ofSeconds(30))).as("the client stops").isTrue();
                    client.close();

                    List<String> answers = Files.readAllLines(tmp.resolve("client.log")).stream()
                            .filter(l -> !l.isBlank()).toList();
                    List<String> log = balancer.accessLog();
                    Files.write(Path.of("target", "local-fleet-access.log"), log);
                    Files.writeString(Path.of("target", "local-fleet-replaced-guest.log"), old.console());
                    assertThat(answers).as("requests made throughout").hasSizeGreaterThan(20)
                            .as("every one answered 200\n%s", balancer.report()).allMatch(a -> a.equals("200"));
                    assertThat(log).as("every request the balancer took was answered 200")
                            .allMatch(l -> l.startsWith("200 "));
                    String oldGuest = "127.0.0.1:" + GUEST_PORTS.get(2);
                    String newGuest = "127.0.0.1:" + GUEST_PORTS.get(3);
                    assertThat(log.subList(0, beforeReload)).as("the old guest served before").anyMatch(l -> l.contains(oldGuest));
                    assertThat(log.subList(drainedAt, log.size())).as("the new guest served after")
                            .anyMatch(l -> l.contains(newGuest))
                            .as("nothing went to the old guest once it was marked down")
                            .noneMatch(l -> l.contains(oldGuest));
                    assertThat(old.console()).as(old.console())
                            .containsPattern("morgana: shutdown: (\\d+) of \\1 open connections finished")
                            .contains("morgana: powering off").doesNotContain("morgana: fatal", "Kernel panic");
                }
            } finally {
                vms.forEach(RunningVm::close);
            }
        }
    }

    private static RunningVm boot(NetworkNamespace ns, BuiltImage image, int port, Path console) throws Exception {
        return QemuBoot.start(image, port, console, Optional.empty(), ns.inside(List.of()));
    }

    /** Until the guest's health endpoint, asked inside the namespace, names the bundle: a rollout's check. */
    private static void awaitHealth(NetworkNamespace ns, RunningVm vm, int port, String hash) throws Exception {
        long deadline = System.nanoTime() + TargetBoots.BOOT_PATIENCE.multipliedBy(3).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = ns.exec(Duration.ofSeconds(10), "curl", "-s", "--max-time", "3",
                        "http://127.0.0.1:" + port + "/.well-known/morgana/health").strip();
                if (last.equals(hash)) {
                    return;
                }
            } catch (AssertionError e) {
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("guest on " + port + " never answered bundle " + hash + "; last: " + last
                + "\nconsole:\n" + vm.console());
    }

    /**
     * A client in the namespace asking for the front page again and again, one status code per line, until
     * the file client.stop appears in tmp.
     */
    private static ChildProcess client(NetworkNamespace ns, String url, Path tmp) throws Exception {
        return ChildProcess.start("client", ns.inside(List.of("sh", "-c", "while [ ! -e " + tmp.resolve("client.stop")
                + " ]; do curl -s -o /dev/null --max-time 20 -w '%{http_code}\\n' " + url + "; sleep 0.05; done")),
                tmp, tmp.resolve("client.log"));
    }
}
