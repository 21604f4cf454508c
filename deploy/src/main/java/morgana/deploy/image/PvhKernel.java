package morgana.deploy.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The uncompressed kernel that Xen's PVH loader (and qemu's {@code -kernel}, when given an ELF) starts at its
 * 32-bit PVH entry point, taken out of a Debian bzImage.
 *
 * <p>The bzImage's setup header (Documentation/arch/x86/boot.rst) says where the compressed payload is:
 * {@code setup_sects} at 0x1f1, {@code payload_offset} and {@code payload_length} at 0x248, counted from the
 * protected-mode code that follows the {@code setup_sects + 1} real-mode sectors. The payload is the
 * stripped vmlinux ELF; Debian's cloud kernel compresses it with LZ4, which the magic at its start tells.
 */
public final class PvhKernel {
    /** {@code XEN_ELFNOTE_PHYS32_ENTRY} (xen/include/public/elfnote.h): the PVH entry's physical address. */
    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    private static final int PT_NOTE = 4;

    private PvhKernel() {
    }

    /** The vmlinux ELF inside {@code bzImage}; fails if it is not LZ4-compressed or has no PVH entry note. */
    public static byte[] extract(Path bzImage) throws IOException {
        byte[] image = Files.readAllBytes(bzImage);
        if (image.length < 0x250 || Lz4Legacy.le32(image, 0x202) != 0x53726448) { // "HdrS"
            throw new ImageException(bzImage + " is not an x86 bzImage (no HdrS setup header); pass a Debian"
                    + " linux-image package or its boot/vmlinuz-*");
        }
        int setupSectors = image[0x1f1] & 0xFF;
        if (setupSectors == 0) {
            setupSectors = 4; // boot.rst: 0 means 4
        }
        int start = (setupSectors + 1) * 512 + Lz4Legacy.le32(image, 0x248);
        int length = Lz4Legacy.le32(image, 0x24c);
        if (start < 0 || length <= 0 || start + length > image.length) {
            throw new ImageException(bzImage + ": the setup header's payload (" + length + " bytes at " + start
                    + ") lies outside the file");
        }
        if (Lz4Legacy.le32(image, start) != Lz4Legacy.MAGIC) {
            throw new ImageException(bzImage + "'s payload is not LZ4 (it starts with "
                    + String.format("%02x%02x%02x%02x", image[start], image[start + 1], image[start + 2], image[start + 3])
                    + "); Morgana unpacks the LZ4 payload of Debian's cloud kernel only");
        }
        byte[] vmlinux = Lz4Legacy.decode(image, start, length);
        if (pvhEntry(vmlinux) < 0) {
            throw new ImageException("the kernel in " + bzImage + " has no Xen PVH entry note"
                    + " (XEN_ELFNOTE_PHYS32_ENTRY); it needs CONFIG_PVH=y to boot as a PVH guest");
        }
        return vmlinux;
    }

    /**
     * The physical entry address in the ELF's {@code Xen} note of type {@link #XEN_ELFNOTE_PHYS32_ENTRY},
     * or -1 if the ELF has none (or is not a 64-bit little-endian ELF).
     */
    public static long pvhEntry(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F'
                || elf[4] != 2 || elf[5] != 1) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = b.getShort(0x36) & 0xFFFF;
        int phnum = b.getShort(0x38) & 0xFFFF;
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * phentsize;
            if (ph + 56 > elf.length || b.getInt((int) ph) != PT_NOTE) {
                continue;
            }
            long offset = b.getLong((int) ph + 8);
            long size = b.getLong((int) ph + 32);
            long end = Math.min(offset + size, elf.length);
            long at = offset;
            while (at + 12 <= end) {
                int nameSize = b.getInt((int) at);
                int descSize = b.getInt((int) at + 4);
                int type = b.getInt((int) at + 8);
                long name = at + 12;
                long desc = name + align4(nameSize);
                if (nameSize < 0 || descSize < 0 || desc + descSize > end) {
                    break;
                }
                String owner = new String(elf, (int) name, Math.max(0, nameSize - 1), StandardCharsets.US_ASCII);
                if (owner.equals("Xen") && type == XEN_ELFNOTE_PHYS32_ENTRY && descSize >= 4) {
                    return descSize >= 8 ? b.getLong((int) desc) : b.getInt((int) desc) & 0xFFFF_FFFFL;
                }
                at = desc + align4(descSize);
            }
        }
        return -1;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
