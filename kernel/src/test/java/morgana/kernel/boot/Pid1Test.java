package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import morgana.kernel.device.InterfaceNotFoundException;
import morgana.kernel.device.Links;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.SystemCallException;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.Device;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

/** PID 1's steps against a machine and links that record what they are asked, in order. */
class Pid1Test {

    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(consoleBytes, true, StandardCharsets.UTF_8));
    private final RecordingMachine machine = new RecordingMachine();
    private final RecordingLinks links = new RecordingLinks();
    private final AtomicReference<StackConfig> served = new AtomicReference<>();
    private int exitCode = -1;

    private final Pid1 pid1 = new Pid1(machine, links, console, name -> {
        calls.add("open " + name);
        return new IdleDevice();
    }, (device, config, ports, app) -> {
        calls.add("serve " + ports);
        served.set(config);
        return new StoppedServing(new InetSocketAddress(config.address().address().toInetAddress(), ports.getFirst()));
    }, code -> exitCode = code);

    @Test
    void bootsInOrderPrintingOneLinePerStep() throws Exception {
        BootManifest manifest = BootManifestTest.QEMU;

        pid1.serve(manifest, m -> new NoApplication());

        assertThat(calls).containsExactly(
                "pid",
                "mount proc /proc proc 14", "mount sysfs /sys sysfs 14", "mount devtmpfs /dev devtmpfs 2",
                "sethostname blog",
                "load /lib/modules/failover.ko", "load /lib/modules/net_failover.ko", "load /lib/modules/virtio_net.ko",
                "await eth0", "sysctl net/ipv6/conf/eth0/disable_ipv6=1", "up eth0", "gro eth0 false", "open eth0", "hwaddr eth0", "serve [80]");
        assertThat(consoleLines()).containsExactly(
                "morgana: mounted /proc", "morgana: mounted /sys", "morgana: mounted /dev",
                "morgana: hostname blog",
                "morgana: application ready",
                "morgana: loaded /lib/modules/failover.ko", "morgana: loaded /lib/modules/net_failover.ko",
                "morgana: loaded /lib/modules/virtio_net.ko",
                consoleLines().get(8), // "found eth0 (index 2) after N ms"
                "morgana: eth0: Linux's own IPv6 off",
                "morgana: eth0 is up",
                "morgana: eth0: generic receive offload off",
                "morgana: opened a packet socket on eth0 (MTU 1500)",
                "morgana: stack 10.0.2.15/24 via 10.0.2.2 on 52:54:00:12:34:56",
                "morgana: serving 10.0.2.15:80");
        assertThat(consoleLines().get(8)).matches("morgana: found eth0 \\(index 2\\) after \\d+ ms");
        assertThat(served.get()).isEqualTo(new StackConfig(MacAddress.parse("52:54:00:12:34:56"),
                BootManifestTest.QEMU_NETWORK.address(), BootManifestTest.QEMU_NETWORK.gateway(), 1500));
    }

    @Test
    void aMacOverrideIsSetBeforeTheLinkComesUpAndIsTheStacksMac() throws Exception {
        MacAddress override = MacAddress.parse("02:00:00:00:00:99");
        BootManifest manifest = BootManifest.serving("blog", "eth0", List.of(), BootManifestTest.QEMU_NETWORK, 8080,
                "/site").withMacOverride(override);

        pid1.serve(manifest, m -> new NoApplication());

        assertThat(calls).containsSubsequence("await eth0", "sethwaddr eth0 02:00:00:00:00:99", "up eth0");
        assertThat(served.get().mac()).isEqualTo(override);
        assertThat(consoleLines()).contains("morgana: no driver modules to load",
                "morgana: set eth0's MAC to 02:00:00:00:00:99");
    }

    @Test
    void alreadyMountedFileSystemsAndAlreadyLoadedModulesAreFine() {
        machine.busy.add("/dev");
        machine.loaded.add("/lib/modules/failover.ko");

        pid1.mountFileSystems();
        pid1.loadDrivers(List.of("/lib/modules/failover.ko", "/lib/modules/virtio_net.ko"));

        assertThat(consoleLines()).containsExactly("morgana: mounted /proc", "morgana: mounted /sys",
                "morgana: /dev was already mounted", "morgana: /lib/modules/failover.ko was already loaded",
                "morgana: loaded /lib/modules/virtio_net.ko");
    }

    @Test
    void aKernelWithoutIpv6IsFine() {
        machine.ipv6 = false;

        pid1.keepLinuxOffTheLink("eth0");

        assertThat(consoleLines()).containsExactly("morgana: eth0: Linux has no IPv6 to turn off");
    }

    @Test
    void aDriverWithoutGroSettingsIsNotFatal() {
        links.groRefused = true;

        pid1.turnOffReceiveOffload("eth0");

        assertThat(consoleLines()).containsExactly("morgana: eth0: generic receive offload left as is (turn GRO off"
                + " on eth0: EOPNOTSUPP: no such setting)");
    }

    @Test
    void aDriverForHardwareThisMachineLacksIsSkippedAndTheNextOneLoaded() {
        machine.absentHardware.add("/lib/modules/xen-netfront.ko");

        pid1.loadDrivers(List.of("/lib/modules/xen-netfront.ko", "/lib/modules/virtio_net.ko"));

        assertThat(consoleLines()).containsExactly("morgana: /lib/modules/xen-netfront.ko: no such hardware here",
                "morgana: loaded /lib/modules/virtio_net.ko");
    }

    @Test
    void aModuleThatFailsStopsTheBootBeforeTheNextOne() {
        machine.failing.add("/lib/modules/net_failover.ko");

        assertThatThrownBy(() -> pid1.loadDrivers(BootManifestTest.QEMU.driverModules()))
                .isInstanceOf(SystemCallException.class)
                .hasMessageContaining("finit_module /lib/modules/net_failover.ko: ENOEXEC");
        assertThat(calls).containsExactly("load /lib/modules/failover.ko", "load /lib/modules/net_failover.ko");
    }

    @Test
    void aFatalErrorIsPrintedThenTheDiskSyncedThenTheMachinePoweredOff() {
        pid1.fail("no network interface eth0 after 10000 ms", null);

        assertThat(consoleLines()).startsWith("morgana: fatal: no network interface eth0 after 10000 ms",
                "morgana: powering off");
        assertThat(calls).containsExactly("pid", "sync", "poweroff");
    }

    @Test
    void aManifestOfAnotherVersionIsRefusedOnTheConsoleAndTheMachinePoweredOff() {
        String older = BootManifestTest.QEMU_TEXT.replace("manifest.version=2", "manifest.version=1");

        pid1.serveOrPowerOff(() -> BootManifest.read(new java.io.StringReader(older), "/morgana/boot.manifest"),
                m -> new NoApplication());

        assertThat(consoleLines()).contains("morgana: fatal: boot manifest /morgana/boot.manifest, key manifest.version:"
                + " version 1, but this guest reads version 2 only: build the image and the kernel with the same Morgana");
        assertThat(calls).containsExactly("pid", "sync", "poweroff");
        assertThat(exitCode).isEqualTo(1);
    }

    @Test
    void aProcessThatIsNotPid1RefusesToBootAndNeverPowersOff() {
        machine.pid = 4242;

        assertThatThrownBy(() -> pid1.serve(BootManifestTest.QEMU, m -> new NoApplication()))
                .hasMessageContaining("this is PID 4242");
        pid1.fail("whatever", null);

        assertThat(calls).doesNotContain("poweroff", "mount proc /proc proc 14");
        assertThat(exitCode).isEqualTo(1);
    }

    @Test
    void aMissingInterfaceIsReportedWithWhatToCheck() {
        links.present = false;

        assertThatThrownBy(() -> pid1.awaitInterface("eth0"))
                .isInstanceOf(InterfaceNotFoundException.class)
                .hasMessageContaining("no network interface eth0 after 10000 ms: is the NIC driver module in the manifest");
    }

    private List<String> consoleLines() {
        return consoleBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private final class RecordingMachine implements Machine {
        int pid = 1;
        final Set<String> busy = new java.util.HashSet<>();
        final Set<String> loaded = new java.util.HashSet<>();
        final Set<String> failing = new java.util.HashSet<>();
        final Set<String> absentHardware = new java.util.HashSet<>();

        @Override
        public void mount(String source, String target, String type, long flags) {
            calls.add("mount " + source + " " + target + " " + type + " " + flags);
            if (busy.contains(target)) {
                throw new SystemCallException("mount " + type + " on " + target, Errno.EBUSY.value(), "busy");
            }
        }

        @Override
        public void setHostname(String hostname) {
            calls.add("sethostname " + hostname);
        }

        @Override
        public void loadModule(String path) {
            calls.add("load " + path);
            if (loaded.contains(path)) {
                throw new SystemCallException("finit_module " + path, Errno.EEXIST.value(), "already loaded");
            }
            if (failing.contains(path)) {
                throw new SystemCallException("finit_module " + path, Errno.ENOEXEC.value(), "not a module");
            }
            if (absentHardware.contains(path)) {
                throw new SystemCallException("finit_module " + path, Errno.ENODEV.value(), "no such device");
            }
        }

        boolean ipv6 = true;

        @Override
        public boolean setSysctl(String name, String value) {
            calls.add("sysctl " + name + "=" + value);
            return ipv6;
        }

        @Override
        public int pid() {
            calls.add("pid");
            return pid;
        }

        @Override
        public void sync() {
            calls.add("sync");
        }

        @Override
        public void powerOff() {
            calls.add("poweroff");
        }
    }

    private final class RecordingLinks implements Links {
        boolean present = true;

        @Override
        public int awaitInterface(String name, Duration timeout) {
            calls.add("await " + name);
            if (!present) {
                throw new InterfaceNotFoundException(name, timeout);
            }
            return 2;
        }

        @Override
        public void up(String name) {
            calls.add("up " + name);
        }

        @Override
        public boolean isUp(String name) {
            return true;
        }

        @Override
        public int mtu(String name) {
            return 1500;
        }

        @Override
        public void setMtu(String name, int mtu) {
            calls.add("mtu " + name + " " + mtu);
        }

        MacAddress mac = MacAddress.parse("52:54:00:12:34:56");

        @Override
        public MacAddress hardwareAddress(String name) {
            calls.add("hwaddr " + name);
            return mac;
        }

        boolean groRefused;

        @Override
        public boolean genericReceiveOffload(String name) {
            return true;
        }

        @Override
        public void setGenericReceiveOffload(String name, boolean on) {
            calls.add("gro " + name + " " + on);
            if (groRefused) {
                throw new SystemCallException("turn GRO off on " + name, Errno.EOPNOTSUPP.value(), "no such setting");
            }
        }

        @Override
        public void setHardwareAddress(String name, MacAddress mac) {
            calls.add("sethwaddr " + name + " " + mac);
            this.mac = mac;
        }
    }

    private static final class IdleDevice implements Device {
        @Override
        public boolean receive(ByteBuffer frame) {
            frame.clear();
            return false;
        }

        @Override
        public void transmit(ByteBuffer frame) {
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void awaitFrame(Duration timeout) {
        }

        @Override
        public void wakeup() {
        }
    }

    private record StoppedServing(InetSocketAddress localAddress) implements Pid1.Serving {
        @Override
        public void awaitTermination() {
        }
    }

    private static final class NoApplication extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
        }
    }
}
