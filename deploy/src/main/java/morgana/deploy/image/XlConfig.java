package morgana.deploy.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code xl} domain configuration of a Xen PVH guest (xl.cfg(5)): {@code xl create morgana.xl.cfg}
 * in the image directory starts it. Paths are relative to that directory, as {@code xl} resolves them
 * against its working directory.
 *
 * @param name     the domain's name (the site's hostname)
 * @param mac      the vif's MAC, the one the boot manifest gives the guest's NIC
 * @param bridge   the dom0 bridge the vif joins
 */
public record XlConfig(String name, String kernel, String ramdisk, String cmdline, int memoryMib, int vcpus,
                       String mac, String bridge) {
    public static final String FILE = "morgana.xl.cfg";
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    public XlConfig {
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("not a lower-case MAC address: " + mac);
        }
        for (String value : List.of(name, kernel, ramdisk, cmdline, bridge)) {
            if (value.indexOf('"') >= 0 || value.indexOf('\n') >= 0) {
                throw new ImageException("cannot put '" + value + "' in an xl config string: it has a quote or newline");
            }
        }
    }

    /**
     * A MAC in Xen's own OUI 00:16:3e (the one xl picks from when none is given), derived from the name so
     * that the same site gets the same address at every build.
     */
    public static String macFor(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            // The OUI's next bit pattern: xl keeps the fourth byte's top bit clear for its random MACs.
            return String.format("00:16:3e:%02x:%02x:%02x", h[0] & 0x7f, h[1] & 0xff, h[2] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys and their values, in the order they are written. */
    public Map<String, String> entries() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("name", quote(name));
        e.put("type", quote("pvh"));
        e.put("kernel", quote(kernel));
        e.put("ramdisk", quote(ramdisk));
        e.put("cmdline", quote(cmdline));
        e.put("memory", Integer.toString(memoryMib));
        e.put("vcpus", Integer.toString(vcpus));
        e.put("vif", "[ " + quote("mac=" + mac + ",bridge=" + bridge) + " ]");
        // The guest powers itself off on a fatal error; keep it off rather than restart it in a loop.
        e.put("on_poweroff", quote("destroy"));
        e.put("on_reboot", quote("destroy"));
        e.put("on_crash", quote("destroy"));
        return e;
    }

    public String render() {
        StringBuilder text = new StringBuilder("# Xen PVH domain for a Morgana image; written by `morgana image --target xen`.\n"
                + "# Start it from this directory: xl create " + FILE + "\n");
        entries().forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        return text.toString();
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
