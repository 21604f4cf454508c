package morgana.kernel.boot;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;
import morgana.kernel.device.Links;
import morgana.kernel.device.PacketSocketDevice;
import morgana.kernel.device.SystemLinks;
import morgana.kernel.loop.StackRunner;
import morgana.kernel.sys.Errno;
import morgana.kernel.sys.SystemCallException;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.Device;
import morgana.netstack.wire.MacAddress;

/**
 * The duties of PID 1 in a Morgana image, as small steps that each print one console line: mount the
 * kernel's file systems, name the host, load the NIC's driver modules, wait for the NIC, bring it up, open
 * it raw, and serve the application on our own stack. There is no other process to hand anything to, so
 * a fatal error is printed and the machine powered off, rather than letting the kernel panic when init exits.
 *
 * <p>Nothing before the mounts needs /proc: jnr-ffi loads libc by soname and jffi's stub comes from
 * {@code java.io.tmpdir} (or {@code jffi.boot.library.path}).
 */
public final class Pid1 {

    static final Duration INTERFACE_TIMEOUT = Duration.ofSeconds(10);
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

    /** Starts the stack and the application on a device. */
    @FunctionalInterface
    interface Server {
        Serving start(Device device, StackConfig config, List<Integer> ports, ChannelInitializer<Channel> application)
                throws InterruptedException;
    }

    /** What is being served; returns from {@link #awaitTermination} only if serving stopped. */
    interface Serving {
        InetSocketAddress localAddress();

        void awaitTermination() throws InterruptedException;
    }

    private final Machine machine;
    private final Links links;
    private final Console console;
    private final DeviceOpener devices;
    private final Server server;
    private final IntConsumer exit;

    Pid1(Machine machine, Links links, Console console, DeviceOpener devices, Server server, IntConsumer exit) {
        this.machine = machine;
        this.links = links;
        this.console = console;
        this.devices = devices;
        this.server = server;
        this.exit = exit;
    }

    /**
     * Boots and serves {@code application} as the manifest says. Never returns: it serves until the machine
     * is switched off, and on a fatal error prints {@code morgana: fatal: <reason>} and powers off.
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

    /** Where the manifest comes from: read from a file, or given. */
    interface ManifestSource {
        BootManifest get() throws IOException;
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

    /** Reads the manifest, makes the application and serves it; any failure, or serving stopping, is fatal. */
    void serveOrPowerOff(ManifestSource manifest, Function<BootManifest, ChannelInitializer<Channel>> application) {
        try {
            serve(manifest.get(), application);
            fail("the network event loop stopped", null);
        } catch (Throwable e) {
            fail(reason(e), e);
        }
    }

    private static Pid1 system(Console console) {
        return new Pid1(SystemMachine.system(), SystemLinks.system(), console, PacketSocketDevice::open,
                Pid1::startRunner, System::exit);
    }

    static Serving startRunner(Device device, StackConfig config, List<Integer> ports,
            ChannelInitializer<Channel> application) throws InterruptedException {
        StackRunner runner = StackRunner.start(device, config, ports, application, Clock.systemUTC());
        return new Serving() {
            @Override
            public InetSocketAddress localAddress() {
                return runner.localAddress();
            }

            @Override
            public void awaitTermination() throws InterruptedException {
                runner.awaitTermination();
            }
        };
    }

    /**
     * Every step in order; returns only if serving stops. The application is made once the file systems are
     * mounted, so whatever it reads at start-up (Netty reads /proc/sys) is there.
     */
    void serve(BootManifest manifest, Function<BootManifest, ChannelInitializer<Channel>> applicationFactory)
            throws InterruptedException {
        requirePid1();
        mountFileSystems();
        setHostname(manifest.hostname());
        ChannelInitializer<Channel> application = applicationFactory.apply(manifest);
        console.step("application ready");
        loadDrivers(manifest.driverModules());
        String nic = manifest.interfaceName();
        awaitInterface(nic);
        manifest.macOverride().ifPresent(mac -> setHardwareAddress(nic, mac));
        keepLinuxOffTheLink(nic);
        bringUp(nic);
        turnOffReceiveOffload(nic);
        Device device = openDevice(nic);
        StackConfig config = stackConfig(manifest, nic, device.mtu());
        Serving serving = server.start(device, config, manifest.ports(), application);
        console.step("serving " + serving.localAddress().getAddress().getHostAddress() + ":"
                + String.join(",", manifest.ports().stream().map(String::valueOf).toList()));
        serving.awaitTermination();
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
    void turnOffReceiveOffload(String name) {
        try {
            links.setGenericReceiveOffload(name, false);
            console.step(name + ": generic receive offload off");
        } catch (SystemCallException e) {
            console.step(name + ": generic receive offload left as is (" + e.getMessage() + ")");
        }
    }

    Device openDevice(String name) {
        Device device = devices.open(name);
        console.step("opened a packet socket on " + name + " (MTU " + device.mtu() + ")");
        return device;
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
     * Prints the reason, flushes the file systems and powers off. Only PID 1 powers off: any other process
     * (a mistaken run on a host) exits instead, so it can never switch off a developer's machine.
     */
    void fail(String reason, Throwable cause) {
        console.fatal(reason);
        if (cause != null && !(cause instanceof SystemCallException)) {
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
            console.step("powering off");
            machine.powerOff();
            console.step("power-off failed; exiting, which the kernel will report as a panic");
        }
        exit.accept(1);
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
