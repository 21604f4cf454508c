package morgana.kernel.boot;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import morgana.kernel.boot.GuestPolicy.FatalAction;
import morgana.kernel.boot.GuestPolicy.ForcedFault;
import morgana.kernel.boot.GuestPolicy.LogLevel;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * What a booted image needs to know about itself, compiled from the {@code image:} section of
 * {@code morgana.yaml} by the image builder (which validates it against the site and the kernel), baked into
 * the initramfs, and read by PID 1: who it is, which driver modules make its NIC, how it gets its address,
 * what it serves and how it behaves when things go wrong.
 *
 * <p>The text form is {@link Properties} syntax; {@code address} and {@code gateway} belong to
 * {@code network=static} only, and {@code mac}, {@code bundle.sha256} and {@code test.fault} are optional:
 * <pre>
 * manifest.version=2
 * hostname=blog
 * interface=eth0
 * modules=/lib/modules/failover.ko,/lib/modules/net_failover.ko,/lib/modules/virtio_net.ko
 * network=static
 * address=10.0.2.15/24
 * gateway=10.0.2.2
 * ports=80
 * bundle=/morgana/site.bundle
 * bundle.sha256=9f86d081...
 * memory.mib=512
 * console=ttyS0
 * log.level=info
 * on.fatal=poweroff
 * shutdown.drain.seconds=10
 * watchdog.seconds=30
 * </pre>
 * {@code modules} is loaded in the order given (a module's dependencies first) and may be empty when the
 * kernel has the driver built in. {@code mac}, when present, replaces the NIC's own address. The application
 * is served on every port of {@code ports}.
 */
public record BootManifest(String hostname, String interfaceName, List<String> driverModules,
                           Optional<MacAddress> macOverride, Addressing addressing, List<Integer> ports,
                           String bundlePath, Optional<String> bundleSha256, GuestPolicy policy) {

    /** The format this class writes and the only one it reads. Version 1 had one static address and one port. */
    public static final int VERSION = 2;

    public static final String KEY_VERSION = "manifest.version";
    public static final String KEY_HOSTNAME = "hostname";
    public static final String KEY_INTERFACE = "interface";
    public static final String KEY_MODULES = "modules";
    public static final String KEY_MAC = "mac";
    public static final String KEY_NETWORK = "network";
    public static final String KEY_ADDRESS = "address";
    public static final String KEY_GATEWAY = "gateway";
    public static final String KEY_PORTS = "ports";
    public static final String KEY_BUNDLE = "bundle";
    public static final String KEY_BUNDLE_SHA256 = "bundle.sha256";
    public static final String KEY_MEMORY = "memory.mib";
    public static final String KEY_CONSOLE = "console";
    public static final String KEY_LOG_LEVEL = "log.level";
    public static final String KEY_ON_FATAL = "on.fatal";
    public static final String KEY_DRAIN = "shutdown.drain.seconds";
    public static final String KEY_WATCHDOG = "watchdog.seconds";
    public static final String KEY_TEST_FAULT = "test.fault";

    static final Set<String> KEYS = Set.of(KEY_VERSION, KEY_HOSTNAME, KEY_INTERFACE, KEY_MODULES, KEY_MAC, KEY_NETWORK,
            KEY_ADDRESS, KEY_GATEWAY, KEY_PORTS, KEY_BUNDLE, KEY_BUNDLE_SHA256, KEY_MEMORY, KEY_CONSOLE, KEY_LOG_LEVEL,
            KEY_ON_FATAL, KEY_DRAIN, KEY_WATCHDOG, KEY_TEST_FAULT);
    // RFC 1123 §2.1 labels, dot-separated; the kernel takes up to 64 bytes.
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BootManifest {
        driverModules = List.copyOf(driverModules);
        ports = List.copyOf(ports);
        checkHostname(hostname);
        checkInterfaceName(interfaceName);
        driverModules.forEach(BootManifest::checkModule);
        macOverride.ifPresent(BootManifest::checkMac);
        checkPorts(ports);
        checkBundlePath(bundlePath);
        bundleSha256.ifPresent(BootManifest::checkSha256);
    }

    /** A static-address manifest with the default policy: what most tests and a developer's host need. */
    public static BootManifest serving(String hostname, String interfaceName, List<String> driverModules,
                                       Addressing addressing, int port, String bundlePath) {
        return new BootManifest(hostname, interfaceName, driverModules, Optional.empty(), addressing, List.of(port),
                bundlePath, Optional.empty(), GuestPolicy.DEFAULTS);
    }

    public BootManifest withMacOverride(MacAddress mac) {
        return new BootManifest(hostname, interfaceName, driverModules, Optional.of(mac), addressing, ports, bundlePath,
                bundleSha256, policy);
    }

    public BootManifest withPolicy(GuestPolicy newPolicy) {
        return new BootManifest(hostname, interfaceName, driverModules, macOverride, addressing, ports, bundlePath,
                bundleSha256, newPolicy);
    }

    private static String checkHostname(String hostname) {
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("not a hostname (letters, digits, '-' and dots, up to 64): \""
                    + hostname + "\"");
        }
        return hostname;
    }

    private static String checkInterfaceName(String name) {
        if (!INTERFACE.matcher(name).matches()) {
            throw new IllegalArgumentException("not an interface name (1 to 15 of letters, digits, '_.-'): \""
                    + name + "\"");
        }
        return name;
    }

    private static void checkModule(String module) {
        if (!module.startsWith("/") || module.contains(",") || !module.contains(".ko") || !module.equals(module.strip())) {
            throw new IllegalArgumentException("a driver module is an absolute path to a .ko file without"
                    + " commas or spaces around it, not \"" + module + "\"");
        }
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a TCP port is 1 to 65535, not " + port);
        }
        return port;
    }

    private static List<Integer> checkPorts(List<Integer> ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one TCP port to serve");
        }
        Set<Integer> seen = new HashSet<>();
        for (int port : ports) {
            checkPort(port);
            if (!seen.add(port)) {
                throw new IllegalArgumentException("port " + port + " is listed twice; each port is served once");
            }
        }
        return ports;
    }

    private static String checkBundlePath(String path) {
        if (!path.startsWith("/") || !path.equals(path.strip())) {
            throw new IllegalArgumentException("the bundle path is absolute inside the image, without spaces"
                    + " around it, not \"" + path + "\"");
        }
        return path;
    }

    private static String checkSha256(String hex) {
        if (!SHA256.matcher(hex).matches()) {
            throw new IllegalArgumentException("a SHA-256 is 64 lower-case hex digits, not \"" + hex + "\"");
        }
        return hex;
    }

    private static MacAddress checkMac(MacAddress mac) {
        if (mac.isMulticast() || mac.bits() == 0) {
            throw new IllegalArgumentException("the MAC must be a unicast address, not " + mac);
        }
        return mac;
    }

    public int version() {
        return VERSION;
    }

    /** Writes the manifest in its text form, keys in a fixed order. */
    public void write(Writer out) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(KEY_VERSION, Integer.toString(VERSION));
        entries.put(KEY_HOSTNAME, hostname);
        entries.put(KEY_INTERFACE, interfaceName);
        entries.put(KEY_MODULES, String.join(",", driverModules));
        macOverride.ifPresent(m -> entries.put(KEY_MAC, m.toString()));
        entries.put(KEY_NETWORK, addressing.mode());
        if (addressing instanceof Addressing.Static s) {
            entries.put(KEY_ADDRESS, s.address().toString());
            s.gateway().ifPresent(g -> entries.put(KEY_GATEWAY, g.toString()));
        }
        entries.put(KEY_PORTS, String.join(",", ports.stream().map(String::valueOf).toList()));
        entries.put(KEY_BUNDLE, bundlePath);
        bundleSha256.ifPresent(h -> entries.put(KEY_BUNDLE_SHA256, h));
        entries.put(KEY_MEMORY, Integer.toString(policy.memoryMib()));
        entries.put(KEY_CONSOLE, policy.console());
        entries.put(KEY_LOG_LEVEL, policy.logLevel().word());
        entries.put(KEY_ON_FATAL, policy.onFatal().word());
        entries.put(KEY_DRAIN, Long.toString(policy.drainTimeout().toSeconds()));
        entries.put(KEY_WATCHDOG, Long.toString(policy.watchdogTimeout().toSeconds()));
        policy.forcedFault().ifPresent(f -> entries.put(KEY_TEST_FAULT, f.word()));
        out.write("# Morgana boot manifest: read by PID 1 inside the image.\n");
        for (var e : entries.entrySet()) {
            out.write(e.getKey() + "=" + escape(e.getValue()) + "\n");
        }
        out.flush();
    }

    public void write(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out);
        }
    }

    /** The manifest's text form. */
    public String text() {
        var out = new java.io.StringWriter();
        try {
            write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Reads a manifest; {@code sourceName} (a path, usually) names it in errors. Throws
     * {@link BootManifestException} for another format version, a missing, unknown or malformed key.
     */
    public static BootManifest read(Reader in, String sourceName) throws IOException {
        Properties properties = new Properties();
        try {
            properties.load(in);
        } catch (IllegalArgumentException e) {
            throw new BootManifestException(sourceName, null, "not in properties syntax: " + e.getMessage(), e);
        }
        ManifestFields fields = new ManifestFields(properties, sourceName);
        String version = fields.required(KEY_VERSION, "the manifest format version, " + VERSION);
        if (!version.equals(Integer.toString(VERSION))) {
            throw new BootManifestException(sourceName, KEY_VERSION, "version " + version
                    + ", but this guest reads version " + VERSION + " only: build the image and the kernel"
                    + " with the same Morgana", null);
        }
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new BootManifestException(sourceName, key, "unknown key (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")", null);
            }
        }
        String hostname = fields.parse(KEY_HOSTNAME, "the guest's hostname, like blog", BootManifest::checkHostname);
        String interfaceName = fields.parse(KEY_INTERFACE, "the NIC's name, like eth0", BootManifest::checkInterfaceName);
        List<String> modules = fields.list(KEY_MODULES, "comma-separated module paths, possibly none", text -> text);
        Optional<MacAddress> mac = fields.optional(KEY_MAC, "a unicast MAC address like 52:54:00:12:34:56",
                text -> checkMac(MacAddress.parse(text)));
        Addressing addressing = addressing(fields);
        List<Integer> ports = fields.parse(KEY_PORTS, "comma-separated TCP ports (1 to 65535), like 80",
                text -> checkPorts(ManifestFields.split(text).stream().map(p -> checkPort(Integer.parseInt(p))).toList()));
        String bundle = fields.parse(KEY_BUNDLE, "the site bundle's absolute path inside the image",
                BootManifest::checkBundlePath);
        Optional<String> sha = fields.optional(KEY_BUNDLE_SHA256, "the bundle's SHA-256 in hex", BootManifest::checkSha256);
        return new BootManifest(hostname, interfaceName, modules, mac, addressing, ports, bundle, sha, policy(fields));
    }

    private static Addressing addressing(ManifestFields fields) {
        String mode = fields.parse(KEY_NETWORK, "dhcp or static", text -> switch (text) {
            case "dhcp", "static" -> text;
            default -> throw new IllegalArgumentException("one of dhcp | static");
        });
        if (mode.equals("dhcp")) {
            fields.forbid(KEY_ADDRESS, "network=dhcp leases the address");
            fields.forbid(KEY_GATEWAY, "network=dhcp leases the gateway");
            return new Addressing.Dhcp();
        }
        Ipv4Cidr address = fields.parse(KEY_ADDRESS, "the guest's IPv4 address with prefix, like 10.0.2.15/24",
                Ipv4Cidr::parse);
        Optional<Ipv4Address> gateway = fields.optional(KEY_GATEWAY, "an IPv4 address on " + address, text ->
                new Addressing.Static(address, Optional.of(Ipv4Address.parse(text))).gateway().orElseThrow());
        return new Addressing.Static(address, gateway);
    }

    private static GuestPolicy policy(ManifestFields fields) {
        int memory = fields.parse(KEY_MEMORY, "the image's memory in MiB, like 512", Integer::parseInt);
        String console = fields.parse(KEY_CONSOLE, "the console device, like ttyS0", text -> text);
        LogLevel level = fields.parse(KEY_LOG_LEVEL, GuestPolicy.words(LogLevel.class),
                text -> GuestPolicy.parseWord(LogLevel.class, text));
        FatalAction onFatal = fields.parse(KEY_ON_FATAL, GuestPolicy.words(FatalAction.class),
                text -> GuestPolicy.parseWord(FatalAction.class, text));
        Duration drain = fields.parse(KEY_DRAIN, "whole seconds, like 10", text -> Duration.ofSeconds(Long.parseLong(text)));
        Duration watchdog = fields.parse(KEY_WATCHDOG, "whole seconds, like 30",
                text -> Duration.ofSeconds(Long.parseLong(text)));
        Optional<ForcedFault> fault = fields.optional(KEY_TEST_FAULT, GuestPolicy.words(ForcedFault.class),
                text -> GuestPolicy.parseWord(ForcedFault.class, text));
        return fields.check(List.of(KEY_MEMORY, KEY_CONSOLE, KEY_DRAIN, KEY_WATCHDOG),
                () -> new GuestPolicy(memory, console, level, onFatal, drain, watchdog, fault));
    }

    public static BootManifest read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        }
    }

    /** Properties escapes: the separators and characters load() would otherwise read differently. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

}
