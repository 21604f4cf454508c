package morgana.kernel.boot;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * What a booted image needs to know about itself, baked into the initramfs by the image builder and read
 * by PID 1: who it is, which driver modules make its NIC, its address, and what it serves.
 *
 * <p>The text form is {@link Properties} syntax with these keys (all but {@code gateway} and {@code mac}
 * required):
 * <pre>
 * manifest.version=1
 * hostname=blog
 * interface=eth0
 * modules=/lib/modules/failover.ko,/lib/modules/net_failover.ko,/lib/modules/virtio_net.ko
 * address=10.0.2.15/24
 * gateway=10.0.2.2
 * http.port=80
 * bundle=/site/bundle
 * mac=52:54:00:12:34:56
 * </pre>
 * {@code modules} is loaded in the order given (a module's dependencies first) and may be empty when the
 * kernel has the driver built in. {@code mac}, when present, replaces the NIC's own address.
 */
public record BootManifest(String hostname, String interfaceName, List<String> driverModules, Ipv4Cidr address,
                           Optional<Ipv4Address> gateway, int httpPort, String bundlePath,
                           Optional<MacAddress> macOverride) {

    /** The format this class writes and the only one it reads. */
    public static final int VERSION = 1;

    public static final String KEY_VERSION = "manifest.version";
    public static final String KEY_HOSTNAME = "hostname";
    public static final String KEY_INTERFACE = "interface";
    public static final String KEY_MODULES = "modules";
    public static final String KEY_ADDRESS = "address";
    public static final String KEY_GATEWAY = "gateway";
    public static final String KEY_HTTP_PORT = "http.port";
    public static final String KEY_BUNDLE = "bundle";
    public static final String KEY_MAC = "mac";

    private static final Set<String> KEYS = Set.of(KEY_VERSION, KEY_HOSTNAME, KEY_INTERFACE, KEY_MODULES, KEY_ADDRESS,
            KEY_GATEWAY, KEY_HTTP_PORT, KEY_BUNDLE, KEY_MAC);
    // RFC 1123 §2.1 labels, dot-separated; the kernel takes up to 64 bytes.
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    public BootManifest {
        driverModules = List.copyOf(driverModules);
        checkHostname(hostname);
        checkInterfaceName(interfaceName);
        driverModules.forEach(BootManifest::checkModule);
        checkGateway(address, gateway);
        checkPort(httpPort);
        checkBundlePath(bundlePath);
        macOverride.ifPresent(BootManifest::checkMac);
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

    private static void checkGateway(Ipv4Cidr address, Optional<Ipv4Address> gateway) {
        if (gateway.isPresent() && !address.contains(gateway.get())) {
            throw new IllegalArgumentException("gateway " + gateway.get() + " is not on " + address);
        }
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a TCP port is 1 to 65535, not " + port);
        }
        return port;
    }

    private static String checkBundlePath(String path) {
        if (!path.startsWith("/") || !path.equals(path.strip())) {
            throw new IllegalArgumentException("the bundle path is absolute inside the image, without spaces"
                    + " around it, not \"" + path + "\"");
        }
        return path;
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
        entries.put(KEY_ADDRESS, address.toString());
        gateway.ifPresent(g -> entries.put(KEY_GATEWAY, g.toString()));
        entries.put(KEY_HTTP_PORT, Integer.toString(httpPort));
        entries.put(KEY_BUNDLE, bundlePath);
        macOverride.ifPresent(m -> entries.put(KEY_MAC, m.toString()));
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
        Fields fields = new Fields(properties, sourceName);
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
        List<String> modules = fields.parse(KEY_MODULES, "comma-separated module paths, possibly none",
                BootManifest::modules);
        Ipv4Cidr address = fields.parse(KEY_ADDRESS, "the guest's IPv4 address with prefix, like 10.0.2.15/24",
                Ipv4Cidr::parse);
        Optional<Ipv4Address> gateway = fields.optional(KEY_GATEWAY, "an IPv4 address on " + address, text -> {
            Ipv4Address g = Ipv4Address.parse(text);
            checkGateway(address, Optional.of(g));
            return g;
        });
        int port = fields.parse(KEY_HTTP_PORT, "a TCP port (1 to 65535), like 80",
                text -> checkPort(Integer.parseInt(text)));
        String bundle = fields.parse(KEY_BUNDLE, "the site bundle's absolute path inside the image",
                BootManifest::checkBundlePath);
        Optional<MacAddress> mac = fields.optional(KEY_MAC, "a unicast MAC address like 52:54:00:12:34:56",
                text -> checkMac(MacAddress.parse(text)));
        return new BootManifest(hostname, interfaceName, modules, address, gateway, port, bundle, mac);
    }

    public static BootManifest read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        }
    }

    private static List<String> modules(String value) {
        if (value.isBlank()) {
            return List.of();
        }
        List<String> modules = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String module = part.trim();
            if (module.isEmpty()) {
                throw new IllegalArgumentException("empty entry in \"" + value + "\"");
            }
            modules.add(module);
        }
        return modules;
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

    /** Looks keys up, turning a missing or malformed one into an error that names it. */
    private record Fields(Properties properties, String source) {

        String required(String key, String expected) {
            return parse(key, expected, Function.identity());
        }

        <T> T parse(String key, String expected, Function<String, T> parser) {
            String value = properties.getProperty(key);
            if (value == null || (value.isBlank() && !key.equals(KEY_MODULES))) {
                throw new BootManifestException(source, key, "missing; expected " + expected, null);
            }
            try {
                return parser.apply(value.trim());
            } catch (IllegalArgumentException e) {
                throw malformed(key, value, expected, e);
            }
        }

        <T> Optional<T> optional(String key, String expected, Function<String, T> parser) {
            String value = properties.getProperty(key);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.apply(value.trim()));
            } catch (IllegalArgumentException e) {
                throw malformed(key, value, expected, e);
            }
        }

        private BootManifestException malformed(String key, String value, String expected, IllegalArgumentException e) {
            String detail = e instanceof NumberFormatException || e.getMessage() == null ? "" : ": " + e.getMessage();
            return new BootManifestException(source, key, "\"" + value + "\" is not " + expected + detail, e);
        }
    }
}
