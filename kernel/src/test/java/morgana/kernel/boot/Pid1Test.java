package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import morgana.kernel.loop.StackRunner;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.kernel.device.InterfaceNotFoundException;
import morgana.kernel.device.Links;
import morgana.kernel.device.PacketSocketMode;
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

    private final AtomicReference<Consumer<Ending>> endingSources = new AtomicReference<>();
    private long nanos = 5_000_000_000L;

    private final Pid1 pid1 = new Pid1(machine, links, console, name -> {
        calls.add("open " + name);
        return new IdleDevice();
    }, (device, config, ports, app) -> {
        calls.add("serve " + ports);
        served.set(config);
        return new RecordingServing(config);
    }, code -> exitCode = code, endingSources::set, () -> nanos += 10_000_000L);

    @Test
    void thePacketSocketModeIsNamedByItsPropertyOrTheOffloadOneAndAnUnknownNameIsSaidAndIgnored() {
        assertThat(Pid1.packetSocketMode(null, null, console)).isEqualTo(Pid1.DEFAULT_MODE);
        assertThat(Pid1.packetSocketMode(null, "off", console)).isEqualTo(PacketSocketMode.PLAIN);
        assertThat(Pid1.packetSocketMode("ring", "off", console)).isEqualTo(PacketSocketMode.RING);
        assertThat(Pid1.packetSocketMode("VNET", null, console)).isEqualTo(PacketSocketMode.VNET);
        assertThat(consoleLines()).isEmpty();
        assertThat(Pid1.packetSocketMode("mmap", null, console)).isEqualTo(Pid1.DEFAULT_MODE);
        assertThat(consoleLines()).containsExactly("morgana: -Dmorgana.packet.mode=mmap is none of plain, vnet, ring: "
                + Pid1.DEFAULT_MODE.property() + " it is");
    }

    @Test
    void bootsInOrderPrintingOneLinePerStep() throws Exception {
        BootManifest manifest = BootManifestTest.QEMU;

        pid1.serve(() -> manifest, m -> new NoApplication());

        assertThat(calls).containsExactly(
                "pid", "cad to pid 1",
                "mount proc /proc proc 14", "mount sysfs /sys sysfs 14", "mount devtmpfs /dev devtmpfs 2",
                "uptime", "sethostname blog",
                "load /lib/modules/failover.ko", "load /lib/modules/net_failover.ko", "load /lib/modules/virtio_net.ko",
                "await eth0", "sysctl net/ipv6/conf/eth0/disable_ipv6=1", "up eth0", "open eth0", "gro eth0 false", "hwaddr eth0", "serve [80]");
        assertThat(consoleLines().stream().filter(l -> !l.startsWith("morgana: boot ")).toList()).containsExactly(
                "morgana: mounted /proc", "morgana: mounted /sys", "morgana: mounted /dev",
                "morgana: clock: hpet (available: hpet acpi_pm)",
                "morgana: manifest: blog, static on eth0, ports 80, 512 MiB image, console ttyS0, on fatal poweroff",
                "morgana: hostname blog",
                "morgana: application ready",
                "morgana: loaded /lib/modules/failover.ko", "morgana: loaded /lib/modules/net_failover.ko",
                "morgana: loaded /lib/modules/virtio_net.ko",
                consoleLines().stream().filter(l -> l.startsWith("morgana: found")).findFirst().orElseThrow(),
                "morgana: eth0: Linux's own IPv6 off",
                "morgana: eth0 is up",
                "morgana: opened a packet socket on eth0 (MTU 1500)",
                "morgana: eth0: generic receive offload off",
                "morgana: stack 10.0.2.15/24 via 10.0.2.2 on 52:54:00:12:34:56",
                consoleLines().stream().filter(l -> l.startsWith("morgana: entropy")).findFirst().orElseThrow(),
                "morgana: serving 10.0.2.15:80");
        assertThat(consoleLines()).anySatisfy(l -> assertThat(l).matches("morgana: found eth0 \\(index 2\\) after \\d+ ms"));
        assertThat(served.get()).isEqualTo(new StackConfig(MacAddress.parse("52:54:00:12:34:56"),
                BootManifestTest.QEMU_NETWORK.address(), BootManifestTest.QEMU_NETWORK.gateway(), 1500));
    }

    @Test
    void withDhcpTheStackStartsWithoutAnAddressAndServesOnTheLeasedOne() throws Exception {
        BootManifest manifest = BootManifest.serving("blog", "eth0", List.of(), new Addressing.Dhcp(), 80, "/site");

        pid1.serve(() -> manifest, m -> new NoApplication());

        assertThat(served.get().usesDhcp()).isTrue();
        assertThat(consoleLines()).containsSubsequence("morgana: stack on 52:54:00:12:34:56, address by DHCP",
                "morgana: leased 10.0.2.15/24 via 10.0.2.2 by DHCP", "morgana: serving 10.0.2.15:80");
    }

    @Test
    void eachBootStepIsTimedOnTheKernelsClock() throws Exception {
        pid1.serve(() -> BootManifestTest.QEMU, m -> new NoApplication());

        List<String> steps = consoleLines().stream().filter(l -> l.startsWith("morgana: boot ")).toList();
        assertThat(steps).hasSize(5);
        assertThat(steps.getFirst()).isEqualTo("morgana: boot jvm at 1.500 s (kernel start to init)");
        assertThat(steps.subList(1, 5)).zipSatisfy(List.of("manifest", "driver", "link", "address"),
                (line, step) -> assertThat(line).matches("morgana: boot " + step + " at \\d+\\.\\d{3} s \\(\\+\\d+\\.\\d{3} s\\)"));
        assertThat(pid1.timeline().summary()).matches("boot timings \\(kernel uptime, s\\): jvm=1\\.500"
                + " manifest=\\S+ driver=\\S+ link=\\S+ address=\\S+");
    }

    @Test
    void atDebugLevelTheWholeManifestIsOnTheConsole() throws Exception {
        BootManifest debug = BootManifestTest.QEMU.withPolicy(new GuestPolicy(512, "ttyS0", GuestPolicy.LogLevel.DEBUG,
                GuestPolicy.FatalAction.POWEROFF, Duration.ofSeconds(10), Duration.ofSeconds(30), Optional.empty()));

        pid1.serve(() -> debug, m -> new NoApplication());

        assertThat(consoleLines()).contains("morgana: manifest manifest.version=2", "morgana: manifest network=static",
                "morgana: manifest log.level=debug");
    }

    @Test
    void aShutdownSignalDrainsStopsSyncsAndPowersOff() {
        pid1.requestShutdown("SIGTERM");

        pid1.serveOrPowerOff(() -> BootManifestTest.QEMU, m -> new NoApplication());

        assertThat(calls).containsSubsequence("serve [80]", "drain 10 s", "stop", "sync", "poweroff");
        assertThat(consoleLines()).containsSubsequence(
                "morgana: shutdown: SIGTERM; accepting no more connections, letting open ones finish (up to 10 s)",
                "morgana: shutdown: 1 of 2 open connections finished, 1 cut off at the deadline",
                "morgana: shutdown: frames in 3 out 4",
                "morgana: powering off");
        assertThat(consoleLines()).noneMatch(l -> l.startsWith("morgana: fatal"));
    }

    @Test
    void anUncaughtErrorIsReportedWithCountersAndRebootsWhenTheManifestSaysSo() {
        BootManifest rebooting = BootManifestTest.QEMU.withPolicy(new GuestPolicy(512, "ttyS0",
                GuestPolicy.LogLevel.QUIET, GuestPolicy.FatalAction.REBOOT, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Optional.empty()));

        pid1.serveOrPowerOff(() -> rebooting, m -> {
            endingSources.get().accept(new Ending.Fatal("OutOfMemoryError: Java heap space in thread t, uncaught", null));
            return new NoApplication();
        });

        assertThat(consoleLines()).contains("morgana: fatal: OutOfMemoryError: Java heap space in thread t, uncaught",
                "morgana: rebooting");
        assertThat(consoleLines()).anySatisfy(l -> assertThat(l)
                .matches("morgana: report: uptime \\d+\\.\\d{3} s; frames in 3 out 4; heap \\d+ of \\d+ MiB used"));
        assertThat(consoleLines()).as("quiet: no step lines").doesNotContain("morgana: hostname blog");
        assertThat(calls).endsWith("sync", "reboot");
        assertThat(exitCode).isEqualTo(1);
    }

    @Test
    void aMacOverrideIsSetBeforeTheLinkComesUpAndIsTheStacksMac() throws Exception {
        MacAddress override = MacAddress.parse("02:00:00:00:00:99");
        BootManifest manifest = BootManifest.serving("blog", "eth0", List.of(), BootManifestTest.QEMU_NETWORK, 8080,
                "/site").withMacOverride(override);

        pid1.serve(() -> manifest, m -> new NoApplication());

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

        pid1.setReceiveOffload("eth0", false);

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
    void aFatalErrorIsPrintedWithAReportThenTheDiskSyncedThenTheMachinePoweredOff() {
        pid1.fail("no network interface eth0 after 10000 ms", null);

        assertThat(consoleLines()).startsWith("morgana: fatal: no network interface eth0 after 10000 ms");
        assertThat(consoleLines().get(1)).startsWith("morgana: report: uptime 7.000 s; not serving yet; heap ");
        assertThat(consoleLines().get(2)).isEqualTo("morgana: powering off");
        assertThat(calls).containsExactly("uptime", "pid", "sync", "poweroff");
    }

    @Test
    void aManifestOfAnotherVersionIsRefusedOnTheConsoleAndTheMachinePoweredOff() {
        String older = BootManifestTest.QEMU_TEXT.replace("manifest.version=2", "manifest.version=1");

        pid1.serveOrPowerOff(() -> BootManifest.read(new java.io.StringReader(older), "/morgana/boot.manifest"),
                m -> new NoApplication());

        assertThat(consoleLines()).contains("morgana: fatal: boot manifest /morgana/boot.manifest, key manifest.version:"
                + " version 1, but this guest reads version 2 only: build the image and the kernel with the same Morgana");
        assertThat(calls).endsWith("pid", "sync", "poweroff").doesNotContain("sethostname blog");
        assertThat(exitCode).isEqualTo(1);
    }

    @Test
    void aProcessThatIsNotPid1RefusesToBootAndNeverPowersOff() {
        machine.pid = 4242;

        assertThatThrownBy(() -> pid1.serve(() -> BootManifestTest.QEMU, m -> new NoApplication()))
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

        @Override
        public void reboot() {
            calls.add("reboot");
        }

        @Override
        public void sendCtrlAltDelToPid1() {
            calls.add("cad to pid 1");
        }

        @Override
        public Optional<Duration> uptime() {
            calls.add("uptime");
            return Optional.of(Duration.ofSeconds(7));
        }

        @Override
        public void awaitEntropy() {
            entropyAwaited = true; // on a thread of its own: not in the ordered calls
        }

        volatile boolean entropyAwaited;

        @Override
        public Optional<String> clockSource() {
            return Optional.of("hpet (available: hpet acpi_pm)");
        }

        @Override
        public Optional<Duration> uptimeAtProcessStart() {
            return Optional.of(Duration.ofMillis(1500));
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

    /** Serving that records what it is asked; the address is the static one, or a lease of 10.0.2.15/24. */
    private final class RecordingServing implements Serving {
        private final StackConfig config;
        int openConnections = 2;

        RecordingServing(StackConfig config) {
            this.config = config;
        }

        @Override
        public Optional<StackConfig> awaitAddress(Duration timeout) {
            return Optional.of(config.usesDhcp() ? new StackConfig(config.mac(), Ipv4Cidr.parse("10.0.2.15/24"),
                    Optional.of(Ipv4Address.parse("10.0.2.2")), config.mtu()) : config);
        }

        @Override
        public boolean answers(Duration timeout) {
            return true;
        }

        @Override
        public Optional<String> counters(Duration timeout) {
            return Optional.of("frames in 3 out 4");
        }

        @Override
        public StackRunner.Drain drain(Duration timeout) {
            calls.add("drain " + timeout.toSeconds() + " s");
            return new StackRunner.Drain(openConnections, openConnections - 1, 1);
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void onTermination(Runnable action) {
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    }

    private static final class NoApplication extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
        }
    }
}
