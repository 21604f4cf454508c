package morgana.deploy.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;

/**
 * The {@code image:} section of {@code morgana.yaml}, the role Mirage's {@code config.ml} plays:
 * <pre>
 * image:
 *   target: qemu            # qemu, xen or ec2 (`morgana image --target` overrides it)
 *   memory: 512M            # M or G
 *   hostname: blog
 *   network: { mode: static, address: 10.0.2.15/24, gateway: 10.0.2.2 }
 *   port: 80
 *   drivers: [virtio_net]   # kernel modules for the NIC; their dependencies are found in modules.dep
 * </pre>
 * Every key is optional; the defaults fit qemu's user-mode network.
 */
public record ImageSettings(String target, int memoryMib, String hostname, Ipv4Cidr address,
                            Optional<Ipv4Address> gateway, int port, List<String> drivers) {

    public static final ImageSettings QEMU_DEFAULTS = new ImageSettings("qemu", 512, "blog",
            Ipv4Cidr.parse("10.0.2.15/24"), Optional.of(Ipv4Address.parse("10.0.2.2")), 80, List.of("virtio_net"));

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([MG])i?B?", Pattern.CASE_INSENSITIVE);

    public ImageSettings {
        drivers = List.copyOf(drivers);
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
        Map<String, Object> image = config.section("image");
        ImageSettings d = QEMU_DEFAULTS;
        String target = string(config, image, "target", d.target());
        if (!List.of("qemu", "xen", "ec2").contains(target)) {
            throw config.error("image.target", "image.target must be qemu, xen or ec2, not " + target);
        }
        int memory = memoryMib(config, image.get("memory"), d.memoryMib());
        String hostname = string(config, image, "hostname", d.hostname());
        int port = integer(config, image.get("port"), "image.port", d.port());
        if (port < 1 || port > 65_535) {
            throw config.error("image.port", "image.port must be a TCP port from 1 to 65535, not " + port);
        }
        List<String> drivers = d.drivers();
        Object driverValue = image.get("drivers");
        if (driverValue != null) {
            if (!(driverValue instanceof List<?> list) || list.stream().anyMatch(x -> !(x instanceof String))) {
                throw config.error("image.drivers", "image.drivers must be a list of kernel module names, like [virtio_net]");
            }
            drivers = list.stream().map(String.class::cast).toList();
        }
        Ipv4Cidr address = d.address();
        Optional<Ipv4Address> gateway = d.gateway();
        Object networkValue = image.get("network");
        if (networkValue != null) {
            if (!(networkValue instanceof Map<?, ?> raw)) {
                throw config.error("image.network", "image.network must be a mapping with mode, address and gateway");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> network = (Map<String, Object>) raw;
            String mode = string(config, network, "mode", "static", "image.network.mode");
            if (!mode.equals("static")) {
                throw config.error("image.network.mode", "image.network.mode " + mode
                        + " is not supported yet; use static with an address and a gateway");
            }
            String addressText = string(config, network, "address", d.address().toString(), "image.network.address");
            try {
                address = Ipv4Cidr.parse(addressText);
            } catch (IllegalArgumentException e) {
                throw config.error("image.network.address", "image.network.address must be an IPv4 address with"
                        + " a prefix length, like 10.0.2.15/24, not " + addressText);
            }
            if (network.containsKey("gateway")) {
                String gatewayText = string(config, network, "gateway", "", "image.network.gateway");
                try {
                    gateway = Optional.of(Ipv4Address.parse(gatewayText));
                } catch (IllegalArgumentException e) {
                    throw config.error("image.network.gateway", "image.network.gateway must be an IPv4 address,"
                            + " like 10.0.2.2, not " + gatewayText);
                }
                if (!address.contains(gateway.get())) {
                    throw config.error("image.network.gateway", "image.network.gateway " + gatewayText
                            + " is not on the guest's network " + address);
                }
            } else {
                gateway = Optional.empty();
            }
        }
        return new ImageSettings(target, memory, hostname, address, gateway, port, drivers);
    }

    private static String string(SiteConfig config, Map<String, Object> section, String key, String fallback)
            throws SiteException {
        return string(config, section, key, fallback, "image." + key);
    }

    private static String string(SiteConfig config, Map<String, Object> section, String key, String fallback,
                                 String dotted) throws SiteException {
        Object value = section.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw config.error(dotted, dotted + " must be a non-empty string");
        }
        return text.strip();
    }

    private static int integer(SiteConfig config, Object value, String dotted, int fallback) throws SiteException {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.longValue() == n.doubleValue()) {
            return n.intValue();
        }
        throw config.error(dotted, dotted + " must be a whole number");
    }

    private static int memoryMib(SiteConfig config, Object value, int fallback) throws SiteException {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.intValue(); // a bare number is MiB, as qemu's -m takes it
        }
        Matcher m = SIZE.matcher(value.toString().strip());
        if (!m.matches()) {
            throw config.error("image.memory", "image.memory must be a size such as 512M or 1G, not " + value);
        }
        long mib = Long.parseLong(m.group(1)) * (m.group(2).toUpperCase(Locale.ROOT).equals("G") ? 1024 : 1);
        if (mib < 128 || mib > 65_536) {
            throw config.error("image.memory", "image.memory must be between 128M and 64G for a JVM guest, not " + value);
        }
        return (int) mib;
    }
}
