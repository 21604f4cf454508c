package morgana.deploy.image;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.kernel.boot.Addressing;
import morgana.kernel.boot.GuestPolicy;
import morgana.kernel.boot.GuestPolicy.FatalAction;
import morgana.kernel.boot.GuestPolicy.ForcedFault;
import morgana.kernel.boot.GuestPolicy.LogLevel;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;

/**
 * The {@code image:} section of {@code morgana.yaml}, the role Mirage's {@code config.ml} plays; it compiles
 * into the boot manifest, and every mistake is found here, at build time, with the file, line and key:
 * <pre>
 * image:
 *   target: qemu            # qemu, xen or ec2 (`morgana image --target` overrides it)
 *   memory: 512M            # M or G
 *   hostname: blog
 *   interface: eth0         # the NIC the guest serves on; the kernel names the first one eth0
 *   network: { mode: static, address: 10.0.2.15/24, gateway: 10.0.2.2 }   # or { mode: dhcp }
 *   ports: [80]             # or port: 80; the blog is served on each
 *   drivers: [virtio_net]   # kernel modules for the NIC; their dependencies are found in modules.dep
 *   log_level: info         # quiet, info or debug
 *   on_fatal: poweroff      # poweroff or reboot
 *   shutdown_drain: 10      # seconds a shutdown lets open connections finish
 *   watchdog: 30            # seconds the event loop may stall before PID 1 declares it hung
 *   test_fault: oom         # tests only: oom, exception or stall, provoked once serving
 * </pre>
 * Every key is optional; the defaults fit qemu's user-mode network.
 */
public record ImageSettings(String target, int memoryMib, String hostname, String nic, Addressing addressing,
                            List<Integer> ports,
                            List<String> drivers, LogLevel logLevel, FatalAction onFatal, Duration shutdownDrain,
                            Duration watchdog, Optional<ForcedFault> testFault) {

    public static final Addressing.Static QEMU_USER_NETWORK = new Addressing.Static(Ipv4Cidr.parse("10.0.2.15/24"),
            Optional.of(Ipv4Address.parse("10.0.2.2")));

    public static final ImageSettings QEMU_DEFAULTS = new ImageSettings("qemu", 512, "blog", "eth0", QEMU_USER_NETWORK,
            List.of(80), List.of("virtio_net"), LogLevel.INFO, FatalAction.POWEROFF,
            GuestPolicy.DEFAULTS.drainTimeout(), GuestPolicy.DEFAULTS.watchdogTimeout(), Optional.empty());

    static final Set<String> KEYS = Set.of("target", "memory", "hostname", "interface", "network", "port", "ports", "drivers",
            "log_level", "on_fatal", "shutdown_drain", "watchdog", "test_fault");
    static final Set<String> NETWORK_KEYS = Set.of("mode", "address", "gateway");
    // RFC 1123 §2.1 labels, as the guest checks them.
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([MG])i?B?", Pattern.CASE_INSENSITIVE);

    public ImageSettings {
        ports = List.copyOf(ports);
        drivers = List.copyOf(drivers);
    }

    /** The port qemu's user-mode network forwards the host's port to: the first one served. */
    public int port() {
        return ports.getFirst();
    }

    /** What the guest's PID 1 is told about behaviour, for an image whose kernel console is {@code console}. */
    public GuestPolicy policy(String console) {
        return new GuestPolicy(memoryMib, console, logLevel, onFatal, shutdownDrain, watchdog, testFault);
    }

    /**
     * The modules to resolve for the NIC: the virtio PCI transport first (a virtio-net-pci device is invisible
     * without it), then the drivers the site names.
     */
    public List<String> modulesToLoad() {
        List<String> modules = new ArrayList<>();
        if (drivers.stream().map(KernelPackage::normalizeName).anyMatch(d -> d.startsWith("virtio"))) {
            modules.add("virtio_pci");
        }
        modules.addAll(drivers);
        return modules;
    }

    public static ImageSettings from(SiteConfig config) throws SiteException {
        ImageSection image = new ImageSection(config, "image", config.section("image"));
        image.allowOnly(KEYS);
        ImageSettings d = QEMU_DEFAULTS;
        String target = image.choice("target", List.of("qemu", "xen", "ec2")).orElse(d.target());
        int memory = memoryMib(image).orElse(d.memoryMib());
        String hostname = image.string("hostname").orElse(d.hostname());
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw image.error("hostname", "must be a hostname (letters, digits and '-', dot-separated, up to 64"
                    + " characters), not " + hostname);
        }
        String nic = image.string("interface").orElse(d.nic());
        if (!INTERFACE.matcher(nic).matches()) {
            throw image.error("interface", "must be a network interface name (1 to 15 letters, digits, '_', '.' or"
                    + " '-'), like eth0, not " + nic);
        }
        Addressing addressing = addressing(image).orElse(d.addressing());
        List<Integer> ports = ports(image).orElse(d.ports());
        List<String> drivers = drivers(image).orElse(d.drivers());
        LogLevel level = enumOf(image, "log_level", LogLevel.class).orElse(d.logLevel());
        FatalAction onFatal = enumOf(image, "on_fatal", FatalAction.class).orElse(d.onFatal());
        Duration drain = image.wholeNumber("shutdown_drain", 0, 3600, "seconds").map(Duration::ofSeconds)
                .orElse(d.shutdownDrain());
        Duration watchdog = image.wholeNumber("watchdog", 1, 3600, "seconds").map(Duration::ofSeconds)
                .orElse(d.watchdog());
        Optional<ForcedFault> fault = enumOf(image, "test_fault", ForcedFault.class);
        return new ImageSettings(target, memory, hostname, nic, addressing, ports, drivers, level, onFatal, drain,
                watchdog, fault);
    }

    private static <E extends Enum<E>> Optional<E> enumOf(ImageSection image, String key, Class<E> type)
            throws SiteException {
        List<String> words = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        return image.choice(key, words).map(word -> Enum.valueOf(type, word.toUpperCase(Locale.ROOT)));
    }

    private static Optional<Addressing> addressing(ImageSection image) throws SiteException {
        Optional<ImageSection> found = image.mapping("network", "mode (dhcp or static), address and gateway");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ImageSection network = found.get();
        network.allowOnly(NETWORK_KEYS);
        String mode = network.choice("mode", List.of("static", "dhcp")).orElse("static");
        if (mode.equals("dhcp")) {
            for (String key : List.of("address", "gateway")) {
                if (network.has(key)) {
                    throw network.error(key, "is for mode static; with mode dhcp the DHCP server gives the " + key);
                }
            }
            return Optional.of(new Addressing.Dhcp());
        }
        Ipv4Cidr address = QEMU_USER_NETWORK.address();
        Optional<String> addressText = network.string("address");
        if (addressText.isPresent()) {
            try {
                address = Ipv4Cidr.parse(addressText.get());
            } catch (IllegalArgumentException e) {
                throw network.error("address", "must be an IPv4 address with a prefix length, like 10.0.2.15/24, not "
                        + addressText.get());
            }
        }
        Optional<Ipv4Address> gateway = Optional.empty();
        Optional<String> gatewayText = network.string("gateway");
        if (gatewayText.isPresent()) {
            try {
                gateway = Optional.of(Ipv4Address.parse(gatewayText.get()));
            } catch (IllegalArgumentException e) {
                throw network.error("gateway", "must be an IPv4 address, like 10.0.2.2, not " + gatewayText.get());
            }
            if (!address.contains(gateway.get())) {
                throw network.error("gateway", gatewayText.get() + " is not on the guest's network " + address);
            }
        }
        return Optional.of(new Addressing.Static(address, gateway));
    }

    /** {@code port: 80} or {@code ports: [80, 8080]}; a port named twice would be bound twice, so it is refused. */
    private static Optional<List<Integer>> ports(ImageSection image) throws SiteException {
        Optional<Integer> single = image.wholeNumber("port", 1, 65_535, "a TCP port");
        Optional<List<?>> list = image.list("ports", "[80, 8080]");
        if (single.isPresent() && list.isPresent()) {
            throw image.error("ports", "and image.port both name ports to serve; keep one of them");
        }
        if (single.isPresent()) {
            return Optional.of(List.of(single.get()));
        }
        if (list.isEmpty()) {
            return Optional.empty();
        }
        if (list.get().isEmpty()) {
            throw image.error("ports", "must list at least one TCP port, like [80]");
        }
        List<Integer> ports = new ArrayList<>();
        Map<Integer, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < list.get().size(); i++) {
            String key = image.dotted("ports") + "." + i;
            int port = image.wholeNumber(list.get().get(i), key, 1, 65_535, "a TCP port");
            Integer earlier = firstIndex.putIfAbsent(port, i);
            if (earlier != null) {
                String where = image.config().lineOf(image.dotted("ports") + "." + earlier)
                        .stream().mapToObj(line -> " (line " + line + ")").findFirst().orElse("");
                throw image.config().error(key, key + " collides with image.ports." + earlier + where + ": port " + port
                        + " is already served; each port may be listed once");
            }
            ports.add(port);
        }
        return Optional.of(ports);
    }

    private static Optional<List<String>> drivers(ImageSection image) throws SiteException {
        Optional<List<?>> list = image.list("drivers", "[virtio_net]");
        if (list.isEmpty()) {
            return Optional.empty();
        }
        List<String> drivers = new ArrayList<>();
        for (int i = 0; i < list.get().size(); i++) {
            if (!(list.get().get(i) instanceof String name) || name.isBlank() || name.contains("/")) {
                String key = image.dotted("drivers") + "." + i;
                throw image.config().error(key, key + " must be a kernel module name, like virtio_net, not "
                        + ImageSection.describe(list.get().get(i)));
            }
            drivers.add(name.strip());
        }
        return Optional.of(drivers);
    }

    private static Optional<Integer> memoryMib(ImageSection image) throws SiteException {
        Object value = image.values().get("memory");
        if (value == null) {
            return Optional.empty();
        }
        long mib;
        if (value instanceof Number n && !(value instanceof Double)) {
            mib = n.longValue(); // a bare number is MiB, as qemu's -m takes it
        } else {
            Matcher m = SIZE.matcher(value.toString().strip());
            if (!m.matches()) {
                throw image.error("memory", "must be a size such as 512M or 1G, not " + value);
            }
            mib = Long.parseLong(m.group(1)) * (m.group(2).toUpperCase(Locale.ROOT).equals("G") ? 1024 : 1);
        }
        if (mib < 128 || mib > 65_536) {
            throw image.error("memory", "must be between 128M and 64G for a JVM guest, not " + value);
        }
        return Optional.of((int) mib);
    }
}
