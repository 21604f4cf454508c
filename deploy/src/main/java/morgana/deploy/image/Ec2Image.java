package morgana.deploy.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a built kernel + initramfs image into the disk EC2 boots in UEFI mode: a unified kernel image
 * ({@link UnifiedKernelImage}) as {@code EFI/BOOT/BOOTX64.EFI} on a FAT32 EFI system partition
 * ({@link Fat32Volume}), the only partition of a GPT disk ({@link GptDisk}). Only the disk and the
 * properties stay in the image directory.
 */
public final class Ec2Image {

    private Ec2Image() {
    }

    public static BuiltImage finish(BuiltImage built, Path stub, String hostname) throws IOException {
        Path dir = built.dir();
        Path work = dir.resolve("uki.work");
        Path uki = work.resolve("BOOTX64.EFI");
        try {
            UnifiedKernelImage.build(stub, built.kernel(), built.initramfs(), built.commandLine(), osRelease(hostname),
                    work, uki);
            byte[] loader = Files.readAllBytes(uki);
            long sectors = align(Fat32Volume.sectorsFor(loader.length), GptDisk.FIRST_LBA);
            int volumeId = java.nio.ByteBuffer.wrap(BuiltImage.sha256Bytes(loader)).getInt();
            byte[] partition = Fat32Volume.withBootLoader(loader, sectors, GptDisk.FIRST_LBA, volumeId);
            GptDisk.write(dir.resolve(BuiltImage.DISK), partition);

            Map<String, String> properties = new LinkedHashMap<>(built.properties());
            properties.put("uki.size", Long.toString(loader.length));
            properties.put("uki.sha256", BuiltImage.sha256(uki));
            properties.put("esp.size", Long.toString(partition.length));
            properties.put("disk.size", Long.toString(Files.size(dir.resolve(BuiltImage.DISK))));
            // What an upload must carry: the tables and the partition; the rest of the disk is a hole.
            properties.put("disk.used", Long.toString(GptDisk.FIRST_LBA * GptDisk.SECTOR + partition.length
                    + 33L * GptDisk.SECTOR));
            properties.put("disk.sha256", BuiltImage.sha256(dir.resolve(BuiltImage.DISK)));
            BuiltImage.writeProperties(dir.resolve(BuiltImage.PROPERTIES), XenImage.ordered(properties));
        } finally {
            deleteTree(work);
        }
        for (String intermediate : new String[] {BuiltImage.KERNEL, BuiltImage.INITRAMFS, BuiltImage.CMDLINE}) {
            Files.deleteIfExists(dir.resolve(intermediate));
        }
        return BuiltImage.open(dir);
    }

    /** The UKI's {@code .osrel}: os-release(5) fields, which boot menus show. */
    static String osRelease(String hostname) {
        return "NAME=\"Morgana\"\nID=morgana\nPRETTY_NAME=\"Morgana unikernel (" + hostname + ")\"\n";
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
