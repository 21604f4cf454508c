package morgana.deploy.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A unified kernel image (the UAPI group's UKI specification): systemd's EFI stub with the kernel, the
 * initramfs, the command line and an os-release added as PE sections, one EFI executable that firmware
 * starts as {@code BOOTX64.EFI}. The stub finds the sections by name, hands the kernel the command line
 * and the initrd, and starts it.
 *
 * <p>{@code objcopy} adds the sections; each is placed after the stub's last one, aligned to 4 KiB pages
 * (the kernel to 2 MiB, its own alignment), as the stub needs them mapped at addresses that do not overlap.
 */
public final class UnifiedKernelImage {
    /** Debian's {@code systemd-boot-efi}. */
    public static final Path DEFAULT_STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");
    private static final long PAGE = 0x1000;
    private static final long KERNEL_ALIGN = 0x20_0000;

    private UnifiedKernelImage() {
    }

    /** Builds the UKI at {@code out}; {@code work} holds the section files while objcopy runs. */
    public static void build(Path stub, Path kernel, Path initramfs, String cmdline, String osRelease, Path work,
                             Path out) throws IOException {
        if (!Files.isRegularFile(stub)) {
            throw new ImageException("no systemd EFI stub at " + stub
                    + "; install Debian's systemd-boot-efi (scripts/setup does)");
        }
        Files.createDirectories(work);
        Path osrel = Files.writeString(work.resolve("osrel"), osRelease);
        Path cmd = Files.write(work.resolve("cmdline"), cmdline.getBytes(StandardCharsets.US_ASCII));
        Map<String, Path> sections = new LinkedHashMap<>();
        sections.put(".osrel", osrel);
        sections.put(".cmdline", cmd);
        sections.put(".linux", kernel);
        sections.put(".initrd", initramfs);

        long next = endOfSections(Files.readAllBytes(stub));
        List<String> command = new ArrayList<>(List.of("objcopy"));
        for (Map.Entry<String, Path> s : sections.entrySet()) {
            long vma = align(next, s.getKey().equals(".linux") ? KERNEL_ALIGN : PAGE);
            command.addAll(List.of("--add-section", s.getKey() + "=" + s.getValue(),
                    "--change-section-vma", s.getKey() + "=0x" + Long.toHexString(vma)));
            next = vma + Files.size(s.getValue());
        }
        command.addAll(List.of(stub.toString(), out.toString()));
        run(command);
        byte[] uki = Files.readAllBytes(out);
        Files.write(out, withTimestampOf(Files.readAllBytes(stub), uki));
    }

    /**
     * objcopy writes the time of the build into the PE header's TimeDateStamp (binutils 2.40 has no option
     * against it, and ignores SOURCE_DATE_EPOCH for PE), so the same inputs would give a different UKI every
     * second. This puts back the stub's own stamp and recomputes the header checksum over the result.
     */
    static byte[] withTimestampOf(byte[] stub, byte[] pe) {
        ByteBuffer in = ByteBuffer.wrap(stub).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.wrap(pe).order(ByteOrder.LITTLE_ENDIAN);
        int peHeader = out.getInt(0x3c);
        out.putInt(peHeader + 8, in.getInt(in.getInt(0x3c) + 8));
        int checksumAt = peHeader + 24 + 64;
        out.putInt(checksumAt, 0);
        out.putInt(checksumAt, peChecksum(pe));
        return pe;
    }

    /** The PE image checksum (as imagehlp's CheckSumMappedFile): 16-bit words summed with carry folding, plus the length. */
    static int peChecksum(byte[] pe) {
        long sum = 0;
        for (int i = 0; i + 1 < pe.length; i += 2) {
            sum += (pe[i] & 0xFF) | (pe[i + 1] & 0xFF) << 8;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        if ((pe.length & 1) != 0) {
            sum += pe[pe.length - 1] & 0xFF;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (sum + pe.length);
    }

    /** The first address after the stub's sections (image base + highest section end). */
    static long endOfSections(byte[] pe) {
        ByteBuffer b = ByteBuffer.wrap(pe).order(ByteOrder.LITTLE_ENDIAN);
        int peHeader = b.getInt(0x3c);
        if (b.getInt(peHeader) != 0x0000_4550) { // "PE\0\0"
            throw new ImageException("the EFI stub is not a PE executable");
        }
        int sectionCount = b.getShort(peHeader + 6) & 0xFFFF;
        int optionalSize = b.getShort(peHeader + 20) & 0xFFFF;
        int optional = peHeader + 24;
        if ((b.getShort(optional) & 0xFFFF) != 0x20b) {
            throw new ImageException("the EFI stub is not a 64-bit (PE32+) executable");
        }
        long imageBase = b.getLong(optional + 24);
        long end = 0;
        int table = optional + optionalSize;
        for (int i = 0; i < sectionCount; i++) {
            int s = table + i * 40;
            long virtualSize = b.getInt(s + 8) & 0xFFFF_FFFFL;
            long virtualAddress = b.getInt(s + 12) & 0xFFFF_FFFFL;
            end = Math.max(end, virtualAddress + virtualSize);
        }
        return imageBase + end;
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    private static void run(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ImageException("cannot run objcopy (" + e.getMessage() + "); install binutils", e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ImageException("objcopy did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ImageException("interrupted while running objcopy", e);
        }
        if (process.exitValue() != 0) {
            throw new ImageException("objcopy failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                    + "\n" + new String(output, StandardCharsets.UTF_8));
        }
    }
}
