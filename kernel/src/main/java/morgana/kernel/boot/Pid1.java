package morgana.kernel.boot;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import morgana.kernel.device.Links;
import morgana.kernel.device.PacketSocketDevice;
import morgana.kernel.device.PacketSocketMode;
import morgana.kernel.device.SystemLinks;
import morgana.kernel.loop.StackRunner;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.SystemCallException;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.Device;
import morgana.netstack.wire.MacAddress;

/**
 * The duties of PID 1 in a Morgana image, as small steps that each print one console line: mount the
 * kernel's file systems, read the manifest, name the host, load the NIC's driver modules, wait for the NIC,
 * bring it up, open it raw, get an address, and serve the application on our own stack; then wait for the
 * end. A clean end is a shutdown signal (SIGTERM, or ctrl-alt-del): stop accepting, let open connections
 * finish (bounded), power off. Any other end is fatal: an uncaught exception or OutOfMemoryError, a watchdog
 * timeout, a failed step. It is reported on the console (what, uptime, counters) and the machine powered off or
 * rebooted as the manifest says, rather than letting the kernel panic when init exits.
 *
 * <p>The boot milestones ({@link BootStep}) are timed on the kernel's clock ({@link BootTimeline}).
 *
 * <p>Nothing before the mounts needs /proc: jnr-ffi loads libc by soname and jffi's stub comes from
 * {@code java.io.tmpdir} (or {@code jffi.boot.library.path}).
 */
public final class Pid1 {

    static final Duration INTERFACE_TIMEOUT = Duration.ofSeconds(10);
    /** How long DHCP may take to lease an address (RFC 2131 §4.1 retransmits at 4, 8, 16 s...). */
    static final Duration ADDRESS_TIMEOUT = Duration.ofSeconds(30);
    /** How long a fatal report waits for the event loop to hand over its counters. */
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(2);
    // linux/mount.h
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;

    /** A file system PID 1 mounts. */
    record Mount(String source, String target, String type, long flags) {
    }

    static final List<Mount> MOUNTS = List.of(
            new Mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC),
            new Mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC),
            new Mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID));

    /** Opens the NIC for raw frames. */
    @FunctionalInterface
    interface DeviceOpener {
        Device open(String interfaceName);
    }

    /** Where the manifest comes from: read from a file, or given. */
    interface ManifestSource {
        BootManifest get() throws IOException;
    }

    private final Machine machine;
    private final Links links;
    private final Console console;
    private final DeviceOpener devices;
    private final Serving.Server server;
    private final IntConsumer exit;
    private final EndingSources endings;
    private final BootTimeline timeline;
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private volatile GuestPolicy policy = GuestPolicy.DEFAULTS;
    private volatile Serving serving;
    private volatile Device device;
    private CompletableFuture<Long> entropy;

    Pid1(Machine machine, Links links, Console console, DeviceOpener devices, Serving.Server server, IntConsumer exit,
         EndingSources endings, LongSupplier nanos) {
        this.machine = machine;
        this.links = links;
        this.console = console;
        this.devices = devices;
        this.server = server;
        this.exit = exit;
        this.endings = endings;
        this.timeline = new BootTimeline(console, nanos);
    }

    /**
     * Boots and serves {@code application} as the manifest says. Never returns: it serves until shut down or
     * switched off, and on a fatal error prints {@code morgana: fatal: <reason>} with a report and powers off.
     */
    public static void boot(BootManifest manifest, ChannelInitializer<Channel> application) {
        boot(() -> manifest, m -> application);
    }

    /**
     * Reads the manifest at {@code manifestFile} and boots the application made from it (the application
     * usually needs {@link BootManifest#bundlePath()}). A manifest that cannot be read is fatal too.
     */
    public static void boot(Path manifestFile, Function<BootManifest, ChannelInitializer<Channel>> application) {
        boot(() -> BootManifest.read(manifestFile), application);
    }

    private static void boot(ManifestSource manifest, Function<BootManifest, ChannelInitializer<Channel>> application) {
        Console console = Console.system();
        Pid1 pid1;
        try {
            pid1 = system(console);
        } catch (Throwable e) { // the C library itself did not load: nothing left but to exit
            console.fatal("cannot reach the C library through jnr-ffi: " + reason(e));
            e.printStackTrace();
            System.exit(1);
            return;
        }
        pid1.serveOrPowerOff(manifest, application);
    }

    /**
     * The system property that, set to {@code off} (a JVM option after the kernel command line's {@code --}),
     * opens the NIC without a virtio-net header: plain MTU-sized frames, as before PACKET_VNET_HDR, so that a
     * benchmark can boot one image both ways. {@link #MODE_PROPERTY} says more, and wins.
     */
    public static final String OFFLOAD_PROPERTY = "morgana.packet.offload";
    /** {@code plain}, {@code vnet} or {@code ring}: how the NIC's packet socket reads frames ({@link PacketSocketMode}). */
    public static final String MODE_PROPERTY = "morgana.packet.mode";
    static final PacketSocketMode DEFAULT_MODE = PacketSocketMode.VNET;

    private static Pid1 system(Console console) {
        PacketSocketMode mode = packetSocketMode(System.getProperty(MODE_PROPERTY), System.getProperty(OFFLOAD_PROPERTY),
                console);
        return new Pid1(SystemMachine.system(), SystemLinks.system(), console,
                name -> PacketSocketDevice.open(name, mode),
                Serving::start, System::exit, EndingSources.system(), System::nanoTime);
    }

    /** The mode the properties name; a value that names none is said on the console and the default used. */
    static PacketSocketMode packetSocketMode(String mode, String offload, Console console) {
        if (mode != null) {
            return PacketSocketMode.named(mode).orElseGet(() -> {
                console.step("-D" + MODE_PROPERTY + "=" + mode + " is none of plain, vnet, ring: "
                        + DEFAULT_MODE.property() + " it is");
                return DEFAULT_MODE;
            });
        }
        return "off".equals(offload) ? PacketSocketMode.PLAIN : DEFAULT_MODE;
    }

    /**
     * Boots, serves, and ends as the first {@link Ending} says: a shutdown signal powers off cleanly, anything
     * else is fatal. Returns only where the machine could not be powered off and {@code exit} returned.
     */
    void serveOrPowerOff(ManifestSource manifest, Function<BootManifest, ChannelInitializer<Channel>> application) {
        timeline.mark(BootStep.MAIN);
        try {
            serve(manifest, application);
            serving.onTermination(() -> ending.complete(new Ending.Fatal("the network event loop stopped", null)));
            switch (ending.get()) {
                case Ending.ShutdownRequested(String signal) -> shutDown(signal);
                case Ending.Fatal(String reason, Throwable cause) -> fail(reason, cause);
            }
        } catch (Throwable e) {
            fail(reason(e), e);
        }
    }

    /** Every boot step in order, up to serving; what ends the service is then {@link #ending}'s. */
    void serve(ManifestSource source, Function<BootManifest, ChannelInitializer<Channel>> applicationFactory)
            throws IOException, InterruptedException {
        requirePid1();
        takeOverEndings();
        mountFileSystems();
        timeline.calibrate(machine.uptime().orElse(Duration.ZERO), machine.uptimeAtProcessStart());
        entropy = seedingEntropy();
        machine.clockSource().ifPresent(clock -> console.step("clock: " + clock));
        BootManifest manifest = source.get();
        policy = manifest.policy();
        console.setLevel(policy.logLevel());
        timeline.mark(BootStep.MANIFEST);
        console.step("manifest: " + manifest.hostname() + ", " + manifest.addressing().mode() + " on "
                + manifest.interfaceName() + ", ports " + ports(manifest) + ", " + policy.memoryMib()
                + " MiB image, console " + policy.console() + ", on fatal " + policy.onFatal().word());
        manifest.text().lines().filter(line -> !line.startsWith("#")).forEach(line -> console.detail("manifest " + line));
        serve(manifest, applicationFactory);
    }

    /**
     * The steps after the manifest. The application is made once the file systems are mounted, so whatever it
     * reads at start-up (Netty reads /proc/sys) is there.
     */
    void serve(BootManifest manifest, Function<BootManifest, ChannelInitializer<Channel>> applicationFactory)
            throws InterruptedException {
        setHostname(manifest.hostname());
        ChannelInitializer<Channel> application = markingFirstAccept(applicationFactory.apply(manifest));
        console.step("application ready");
        loadDrivers(manifest.driverModules());
        timeline.mark(BootStep.DRIVER);
        endings.installAfterDrivers(ending::complete, console::step);
        String nic = manifest.interfaceName();
        awaitInterface(nic);
        manifest.macOverride().ifPresent(mac -> setHardwareAddress(nic, mac));
        keepLinuxOffTheLink(nic);
        bringUp(nic);
        timeline.mark(BootStep.LINK);
        device = openDevice(nic);
        // Without a virtio-net header, a merged segment would be larger than the MTU, and dropped.
        setReceiveOffload(nic, takesMergedSegments(device));
        StackConfig config = stackConfig(manifest, nic, device.mtu());
        awaitEntropy();
        serving = server.start(device, config, manifest.ports(), application);
        StackConfig leased = serving.awaitAddress(ADDRESS_TIMEOUT).orElseThrow(() -> new IllegalStateException(
                "no DHCP lease on " + nic + " after " + ADDRESS_TIMEOUT.toSeconds() + " s: is there a DHCP server on"
                        + " the link? (qemu's user-mode network has one; otherwise use a static address)"));
        timeline.mark(BootStep.ADDRESS);
        if (config.usesDhcp()) {
            console.step("leased " + leased.address() + leased.gateway().map(g -> " via " + g).orElse("") + " by DHCP");
        }
        console.step("serving " + leased.address().address() + ":" + ports(manifest));
        Watchdog.start(serving, policy.watchdogTimeout(), ending::isDone, ending::complete);
        policy.forcedFault().ifPresent(fault -> ForcedFaults.provoke(fault, serving, console));
    }

    /**
     * From here on every way PID 1's service can end completes {@link #ending} ({@link EndingSources}); ctrl-alt-del
     * is one of them once the kernel hands it to PID 1 as SIGINT.
     */
    void takeOverEndings() {
        endings.install(ending::complete);
        try {
            machine.sendCtrlAltDelToPid1();
        } catch (SystemCallException e) {
            console.step("ctrl-alt-del stays the kernel's (" + e.getMessage() + ")");
        }
    }

    /**
     * Waits for the kernel's random generator on a thread of its own, from the mounts on, so that the wait
     * overlaps the manifest, the drivers (virtio-rng among them, under qemu) and the link.
     */
    private CompletableFuture<Long> seedingEntropy() {
        CompletableFuture<Long> seeded = new CompletableFuture<>();
        long start = System.nanoTime();
        Thread.ofPlatform().daemon().name("morgana-entropy").start(() -> {
            try {
                machine.awaitEntropy();
                seeded.complete((System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                seeded.completeExceptionally(e);
            }
        });
        return seeded;
    }

    /** Before anything draws random numbers: the stack's TCP secret and DHCP's transaction ids come next. */
    void awaitEntropy() {
        long start = System.nanoTime();
        long seededAfter = (entropy == null ? seedingEntropy() : entropy).join();
        console.step("entropy: the kernel's random generator was seeded " + seededAfter + " ms after the mounts"
                + " (PID 1 waited " + (System.nanoTime() - start) / 1_000_000 + " ms for it here)");
    }

    private ChannelInitializer<Channel> markingFirstAccept(ChannelInitializer<Channel> application) {
        AtomicBoolean first = new AtomicBoolean(true);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                if (first.compareAndSet(true, false)) {
                    timeline.mark(BootStep.FIRST_ACCEPT);
                    console.detail("first connection from " + channel.remoteAddress());
                }
                channel.pipeline().addLast(application);
            }
        };
    }

    private static String ports(BootManifest manifest) {
        return String.join(",", manifest.ports().stream().map(String::valueOf).toList());
    }

    BootTimeline timeline() {
        return timeline;
    }

    /** Completes {@link #ending} as a signal handler would: for tests. */
    void requestShutdown(String signal) {
        ending.complete(new Ending.ShutdownRequested(signal));
    }

    void requirePid1() {
        int pid = machine.pid();
        if (pid != 1) {
            throw new IllegalStateException("Pid1.boot runs as PID 1 inside a Morgana image, and this is PID " + pid
                    + "; on a host, serve through TapHost instead");
        }
    }

    void mountFileSystems() {
        for (Mount mount : MOUNTS) {
            try {
                machine.mount(mount.source(), mount.target(), mount.type(), mount.flags());
                console.step("mounted " + mount.target());
            } catch (SystemCallException e) {
                if (!e.is(Errno.EBUSY)) {
                    throw e;
                }
                console.step(mount.target() + " was already mounted");
            }
        }
    }

    void setHostname(String hostname) {
        machine.setHostname(hostname);
        console.step("hostname " + hostname);
    }

    void loadDrivers(List<String> modules) {
        if (modules.isEmpty()) {
            console.step("no driver modules to load");
        }
        for (String module : modules) {
            try {
                machine.loadModule(module);
                console.step("loaded " + module);
            } catch (SystemCallException e) {
                if (e.is(Errno.EEXIST)) {
                    console.step(module + " was already loaded");
                } else if (e.is(Errno.ENODEV)) {
                    // A driver whose hardware is not in this machine (xen-netfront outside Xen): one image may
                    // carry the NIC drivers of several targets; the wait for the interface decides.
                    console.step(module + ": no such hardware here");
                } else {
                    throw e;
                }
            }
        }
    }

    int awaitInterface(String name) throws InterruptedException {
        long start = System.nanoTime();
        int index = links.awaitInterface(name, INTERFACE_TIMEOUT);
        console.step("found " + name + " (index " + index + ") after "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        return index;
    }

    void setHardwareAddress(String name, MacAddress mac) {
        links.setHardwareAddress(name, mac);
        console.step("set " + name + "'s MAC to " + mac);
    }

    /**
     * Linux gets no address on the NIC: without IPv6 it has none at all, so it neither sends router
     * solicitations nor answers anything; every IP packet on the link is our stack's. Done before the link is
     * up, so not even a link-local address is ever announced.
     */
    void keepLinuxOffTheLink(String name) {
        if (machine.setSysctl("net/ipv6/conf/" + name + "/disable_ipv6", "1")) {
            console.step(name + ": Linux's own IPv6 off");
        } else {
            console.step(name + ": Linux has no IPv6 to turn off");
        }
    }

    void bringUp(String name) {
        links.up(name);
        console.step(name + " is up");
    }

    /** Best effort: a driver without the setting merges nothing, and one that refuses is noted, not fatal. */
    void setReceiveOffload(String name, boolean on) {
        String state = on ? "on (merged segments arrive whole)" : "off";
        try {
            links.setGenericReceiveOffload(name, on);
            console.step(name + ": generic receive offload " + state);
        } catch (SystemCallException e) {
            console.step(name + ": generic receive offload left as is (" + e.getMessage() + ")");
        }
    }

    Device openDevice(String name) {
        Device device = devices.open(name);
        if (device instanceof PacketSocketDevice socket) {
            socket.ringRefused().ifPresent(why -> console.step(name + ": no TPACKET_V3 receive ring (" + why
                    + "): frames read one by one"));
        }
        console.step("opened a packet socket on " + name + " (MTU " + device.mtu()
                + (readsFromRing(device) ? ", TPACKET_V3 receive ring" : "")
                + (takesMergedSegments(device) ? ", virtio-net header: segmentation and checksum offload)" : ")"));
        return device;
    }

    private static boolean readsFromRing(Device device) {
        return device instanceof PacketSocketDevice socket && socket.readsFromRing();
    }

    /** A packet socket with a virtio-net header: see {@link PacketSocketDevice}. */
    private static boolean takesMergedSegments(Device device) {
        return device instanceof PacketSocketDevice socket && socket.takesMergedSegments();
    }

    StackConfig stackConfig(BootManifest manifest, String nic, int mtu) {
        MacAddress mac = links.hardwareAddress(nic);
        return switch (manifest.addressing()) {
            case Addressing.Static(var address, var gateway) -> {
                StackConfig config = new StackConfig(mac, address, gateway, mtu);
                console.step("stack " + address + gateway.map(g -> " via " + g).orElse("") + " on " + mac);
                yield config;
            }
            case Addressing.Dhcp dhcp -> {
                console.step("stack on " + mac + ", address by DHCP");
                yield StackConfig.dhcp(mac, mtu);
            }
        };
    }

    /**
     * The clean end: no new connections, open ones finish (up to the manifest's drain time) and get their
     * FINs, then the disks are synced and the machine powered off.
     */
    void shutDown(String signal) throws InterruptedException {
        console.always("shutdown: " + signal + "; accepting no more connections, letting open ones finish (up to "
                + policy.drainTimeout().toSeconds() + " s)");
        StackRunner.Drain drain = serving.drain(policy.drainTimeout());
        console.always("shutdown: " + drain.finished() + " of " + drain.openAtStart() + " open connections finished"
                + (drain.cutOff() > 0 ? ", " + drain.cutOff() + " cut off at the deadline" : ""));
        serving.counters(REPORT_TIMEOUT).ifPresent(c -> console.always("shutdown: " + c + kernelCounts()));
        serving.stop();
        machine.sync();
        console.always("powering off");
        machine.powerOff();
        console.always("power-off failed; exiting, which the kernel will report as a panic");
        exit.accept(1);
    }

    /**
     * Prints the reason and a report (uptime, counters, heap), flushes the file systems and powers off or
     * reboots as the manifest says. Only PID 1 does either: any other process (a mistaken run on a host)
     * exits instead, so it can never switch off a developer's machine.
     */
    void fail(String reason, Throwable cause) {
        console.fatal(reason);
        console.always("report: " + report());
        if (cause != null && !(cause instanceof SystemCallException) && !(cause instanceof BootManifestException)) {
            cause.printStackTrace();
            System.err.flush();
        }
        boolean isPid1;
        try {
            isPid1 = machine.pid() == 1;
        } catch (RuntimeException e) {
            isPid1 = false;
        }
        if (isPid1) {
            machine.sync();
            if (policy.onFatal() == GuestPolicy.FatalAction.REBOOT) {
                console.always("rebooting");
                machine.reboot();
            } else {
                console.always("powering off");
                machine.powerOff();
            }
            console.always("power-off failed; exiting, which the kernel will report as a panic");
        }
        exit.accept(1);
    }

    /** Uptime, the stack's counters if its loop still answers, and the heap. */
    String report() {
        String uptime = timeline.uptimeNow().or(machine::uptime).map(u -> "uptime " + BootTimeline.seconds(u) + " s")
                .orElse("uptime unknown");
        Serving current = serving;
        String counters = current == null ? "not serving yet"
                : current.counters(REPORT_TIMEOUT).orElse("counters unavailable: the event loop does not answer");
        java.lang.Runtime jvm = java.lang.Runtime.getRuntime();
        long usedMib = (jvm.totalMemory() - jvm.freeMemory()) >> 20;
        return uptime + "; " + counters + kernelCounts() + "; heap " + usedMib + " of " + (jvm.maxMemory() >> 20)
                + " MiB used";
    }

    /** What the kernel counted on the packet socket: frames it dropped never reached the stack's counters. */
    private String kernelCounts() {
        if (device instanceof PacketSocketDevice socket) {
            try {
                return "; " + socket.statistics();
            } catch (RuntimeException e) {
                return "; packet socket statistics unavailable (" + reason(e) + ")";
            }
        }
        return "";
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
