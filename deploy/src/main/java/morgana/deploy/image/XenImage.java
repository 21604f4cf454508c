package morgana.deploy.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a built kernel + initramfs image into a Xen PVH domU: the bzImage is replaced by the vmlinux inside
 * it (Xen's PVH loader takes an ELF with the PVH entry note, not a bzImage), and {@code morgana.xl.cfg}
 * describes the domain. qemu boots the same vmlinux through the same note, which is how it is tested here.
 */
public final class XenImage {
    public static final String VMLINUX = "vmlinux";
    /** The bridge most dom0 set-ups (and the Xen wiki's network guide) call the guests' LAN. */
    public static final String DEFAULT_BRIDGE = "xenbr0";

    private XenImage() {
    }

    /**
     * @param vcpus  the domain's virtual CPUs: two let the JVM's compiler and GC run beside the server
     * @param mac    the vif's MAC; the boot manifest gives the guest's NIC the same one
     */
    public static BuiltImage finish(BuiltImage built, KernelPackage kernel, String hostname, String mac, int vcpus)
            throws IOException {
        Path dir = built.dir();
        byte[] vmlinux = PvhKernel.extract(kernel.vmlinuz());
        Files.write(dir.resolve(VMLINUX), vmlinux);
        Files.deleteIfExists(dir.resolve(BuiltImage.KERNEL));
        XlConfig xl = new XlConfig(hostname, VMLINUX, BuiltImage.INITRAMFS, built.commandLine(), built.memoryMib(),
                vcpus, mac, DEFAULT_BRIDGE);
        Files.writeString(dir.resolve(XlConfig.FILE), xl.render());

        Map<String, String> properties = new LinkedHashMap<>(built.properties());
        properties.put("kernel.file", VMLINUX);
        properties.put("kernel.size", Long.toString(vmlinux.length));
        properties.put("kernel.sha256", BuiltImage.sha256(dir.resolve(VMLINUX)));
        properties.put("pvh.entry", "0x" + Long.toHexString(PvhKernel.pvhEntry(vmlinux)));
        properties.put("xl.config", XlConfig.FILE);
        properties.put("mac", mac);
        BuiltImage.writeProperties(dir.resolve(BuiltImage.PROPERTIES), ordered(properties));
        return BuiltImage.open(dir);
    }

    /** Properties in a fixed order whatever map they came through, so the file's bytes do not vary. */
    static Map<String, String> ordered(Map<String, String> properties) {
        return new java.util.TreeMap<>(properties);
    }
}
