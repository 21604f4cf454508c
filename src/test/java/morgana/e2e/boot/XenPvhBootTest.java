package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import morgana.deploy.image.PvhKernel;
import morgana.deploy.image.XlConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Xen target: a PVH domU. There is no Xen here, so the test boots the image's vmlinux through qemu's
 * PVH entry (qemu reads the same ELF note Xen's loader does) and checks the xl config against xl.cfg(5).
 */
class XenPvhBootTest {

    /**
     * The keys xl.cfg(5) documents (Xen 4.17), those a PVH guest may use; a misspelt key is silently
     * ignored by xl, so a typo here would leave the domain without its kernel or network.
     */
    private static final Set<String> DOCUMENTED_XL_KEYS = Set.of(
            "name", "type", "pool", "vcpus", "maxvcpus", "cpus", "cpus_soft", "memory", "maxmem", "on_poweroff",
            "on_reboot", "on_watchdog", "on_crash", "on_soft_reset", "kernel", "ramdisk", "cmdline", "root",
            "extra", "disk", "vif", "vtpm", "p9", "pvcalls", "vfb", "channel", "rdm", "usbctrl", "usbdev", "pci",
            "device_tree", "uuid", "seclabel", "init_seclabel", "max_grant_frames", "max_maptrack_frames",
            "nomigrate", "driver_domain", "bootloader", "bootloader_args", "e820_host", "tsc_mode", "vnuma",
            "vpmu", "mca_caps", "nestedhvm", "altp2m", "viridian", "acpi", "apic", "pae", "hap", "oos",
            "shadow_memory", "firmware", "bios", "hdtype", "vga", "vnc", "sdl", "serial", "soundhw", "usb",
            "usbdevice", "dtdev", "iomem", "ioports", "irqs", "device_model_version", "device_model_override",
            "stubdomain_kernel", "stubdomain_ramdisk", "stubdomain_memory", "claim_mode", "passthrough");

    @Test
    void theXenImageIsAPvhVmlinuxWithAnXlConfigOfDocumentedKeys(@TempDir Path tmp) throws Exception {
        BuiltImage image = TargetBoots.build(new ImageTarget.Xen(), tmp.resolve("xen"));

        byte[] vmlinux = Files.readAllBytes(image.kernel());
        assertThat(image.kernel().getFileName().toString()).isEqualTo("vmlinux");
        assertThat(PvhKernel.pvhEntry(vmlinux)).as("XEN_ELFNOTE_PHYS32_ENTRY").isPositive();
        assertThat(image.properties().get("modules")).contains("xen_netfront").contains("virtio_net");

        Map<String, String> xl = parse(Files.readString(image.dir().resolve(XlConfig.FILE)));
        assertThat(DOCUMENTED_XL_KEYS).containsAll(xl.keySet());
        assertThat(xl).containsEntry("type", "\"pvh\"")
                .containsEntry("kernel", "\"vmlinux\"")
                .containsEntry("ramdisk", "\"" + BuiltImage.INITRAMFS + "\"")
                .containsEntry("cmdline", "\"" + image.commandLine() + "\"")
                .containsEntry("memory", Integer.toString(image.memoryMib()))
                .containsEntry("vcpus", "2");
        assertThat(xl.get("vif")).isEqualTo("[ \"mac=" + image.properties().get("mac") + ",bridge=xenbr0\" ]");
        assertThat(image.properties().get("mac")).startsWith("00:16:3e:");
        for (String file : List.of(unquote(xl.get("kernel")), unquote(xl.get("ramdisk")))) {
            assertThat(image.dir().resolve(file)).as("xl's %s, relative to the image directory", file).isRegularFile();
        }
    }

    /**
     * The Xen image itself, unchanged, through qemu's PVH entry: xen-netfront finds no Xen here (ENODEV), which
     * PID 1 logs and passes over; qemu's virtio NIC, whose drivers the image also carries, takes the vif's MAC.
     */
    @Test
    void theXenVmlinuxBootsThroughQemusPvhEntryAndServesTheBlog(@TempDir Path tmp) throws Exception {
        BuiltImage image = TargetBoots.build(new ImageTarget.Xen(), tmp.resolve("xen-under-qemu"));

        assertThat(image.commandLine()).contains("console=hvc0");
        TargetBoots.bootAndServe(image, tmp.resolve("console.log"));
        String console = Files.readString(tmp.resolve("console.log"));
        assertThat(console).as("xen-netfront is carried and passed over").containsPattern("xen.netfront\\.ko: no such hardware here");
        assertThat(console).as("the NIC takes the MAC of the xl config's vif").contains("on " + image.properties().get("mac"));
    }

    private static Map<String, String> parse(String config) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : config.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as("an xl config line is KEY = VALUE: %s", line).isPositive();
            String key = line.substring(0, eq).strip();
            assertThat(entries.put(key, line.substring(eq + 1).strip())).as("%s given twice", key).isNull();
        }
        return entries;
    }

    private static String unquote(String value) {
        assertThat(value).startsWith("\"").endsWith("\"");
        return value.substring(1, value.length() - 1);
    }
}
