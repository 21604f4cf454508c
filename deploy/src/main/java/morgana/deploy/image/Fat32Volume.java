package morgana.deploy.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A FAT32 file system holding one file at {@code EFI/BOOT/BOOTX64.EFI}, the removable-media path UEFI
 * firmware boots without any boot entry (UEFI 2.10 §3.5.1.1), laid out the same way every time: fixed
 * timestamps (2026-01-01 00:00, the build's output timestamp), the directories in clusters 2, 3, 4 and the
 * file contiguous after them, a volume id derived from the content.
 *
 * <p>Layout per Microsoft's FAT specification (fatgen103): 32 reserved sectors (boot sector at 0, FSInfo at
 * 1, their backups at 6 and 7), two FATs, then the data clusters. Clusters are one 512-byte sector for a
 * volume under 260 MB, as the specification's table gives; a FAT32 volume needs at least 65 525 clusters,
 * or a reader takes it for FAT16.
 */
public final class Fat32Volume {
    public static final int SECTOR = 512;
    static final int RESERVED_SECTORS = 32;
    static final int MIN_CLUSTERS = 65_525;
    private static final int EOC = 0x0FFF_FFFF;
    /** 2026-01-01 in FAT's date format: years since 1980, month, day. */
    private static final int FIXED_DATE = (2026 - 1980) << 9 | 1 << 5 | 1;

    private Fat32Volume() {
    }

    /**
     * The volume's bytes: {@code sectors} long (at least {@link #sectorsFor}), with {@code file} as
     * {@code EFI/BOOT/BOOTX64.EFI}. {@code hiddenSectors} is the partition's first LBA, which the boot sector
     * records.
     */
    public static byte[] withBootLoader(byte[] file, long sectors, long hiddenSectors, int volumeId) {
        int spc = sectorsPerCluster(sectors);
        int clusterBytes = spc * SECTOR;
        int fatSectors = fatSectors(sectors, spc);
        long clusters = (sectors - RESERVED_SECTORS - 2L * fatSectors) / spc;
        long fileClusters = Math.max(1, (file.length + clusterBytes - 1) / clusterBytes);
        if (clusters < MIN_CLUSTERS || 3 + fileClusters > clusters) {
            throw new IllegalArgumentException("a volume of " + sectors + " sectors cannot hold " + file.length + " bytes as FAT32");
        }
        ByteBuffer v = ByteBuffer.allocate((int) (sectors * SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        long usedClusters = 3 + fileClusters;
        byte[] boot = bootSector(sectors, spc, fatSectors, hiddenSectors, volumeId);
        byte[] fsInfo = fsInfo(clusters - usedClusters, 2 + usedClusters);
        v.put(0, boot).put(SECTOR, fsInfo).put(6 * SECTOR, boot).put(7 * SECTOR, fsInfo);

        // The FAT: media descriptor and end-of-chain marks, each directory one cluster, the file's chain.
        for (int copy = 0; copy < 2; copy++) {
            int fat = (RESERVED_SECTORS + copy * fatSectors) * SECTOR;
            v.putInt(fat, 0x0FFF_FFF8).putInt(fat + 4, EOC);
            v.putInt(fat + 2 * 4, EOC).putInt(fat + 3 * 4, EOC).putInt(fat + 4 * 4, EOC);
            for (long c = 5; c < 5 + fileClusters; c++) {
                v.putInt(fat + (int) c * 4, c == 4 + fileClusters ? EOC : (int) c + 1);
            }
        }
        int data = (RESERVED_SECTORS + 2 * fatSectors) * SECTOR;
        int root = data;                    // cluster 2
        int efi = data + clusterBytes;      // cluster 3
        int bootDir = data + 2 * clusterBytes; // cluster 4
        directoryEntry(v, root, "MORGANA-ESP", 0x08, 0, 0);
        directoryEntry(v, root + 32, "EFI", 0x10, 3, 0);
        directoryEntry(v, efi, ".", 0x10, 3, 0);
        directoryEntry(v, efi + 32, "..", 0x10, 0, 0); // 0: the parent is the root directory
        directoryEntry(v, efi + 64, "BOOT", 0x10, 4, 0);
        directoryEntry(v, bootDir, ".", 0x10, 4, 0);
        directoryEntry(v, bootDir + 32, "..", 0x10, 3, 0);
        directoryEntry(v, bootDir + 64, "BOOTX64 EFI", 0x20, 5, file.length);
        v.put(data + 3 * clusterBytes, file);
        return v.array();
    }

    /** The smallest volume, in sectors, that holds a file of {@code fileBytes} as FAT32. */
    public static long sectorsFor(long fileBytes) {
        // Three directory clusters, the file, and some slack so that rounding the partition up keeps it fitting.
        long clusters = Math.max(MIN_CLUSTERS + 16, (fileBytes + SECTOR - 1) / SECTOR + 3 + 64);
        long sectors = RESERVED_SECTORS + clusters;
        while (sectors - RESERVED_SECTORS - 2L * fatSectors(sectors, 1) < clusters) {
            sectors += 64;
        }
        return sectors;
    }

    /** One sector per cluster, as the specification's table gives for FAT32 volumes up to 260 MB. */
    private static int sectorsPerCluster(long sectors) {
        if (sectors * SECTOR > 260L * 1000 * 1000) {
            throw new ImageException("an EFI partition over 260 MB is not supported; make the image smaller");
        }
        return 1;
    }

    /** Sectors per FAT: enough 4-byte entries for every cluster the volume could have, plus the two reserved. */
    static int fatSectors(long sectors, int spc) {
        long maxClusters = (sectors - RESERVED_SECTORS) / spc + 2;
        return (int) ((maxClusters * 4 + SECTOR - 1) / SECTOR);
    }

    private static byte[] bootSector(long sectors, int spc, int fatSectors, long hidden, int volumeId) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {(byte) 0xEB, 0x58, (byte) 0x90});
        b.put(3, "MORGANA ".getBytes(StandardCharsets.US_ASCII));
        b.putShort(11, (short) SECTOR);
        b.put(13, (byte) spc);
        b.putShort(14, (short) RESERVED_SECTORS);
        b.put(16, (byte) 2);              // FATs
        b.put(21, (byte) 0xF8);           // media: fixed disk
        b.putShort(24, (short) 63);       // sectors per track and heads: only for CHS, which nobody uses
        b.putShort(26, (short) 255);
        b.putInt(28, (int) hidden);
        b.putInt(32, (int) sectors);
        b.putInt(36, fatSectors);
        b.putInt(44, 2);                  // root directory cluster
        b.putShort(48, (short) 1);        // FSInfo sector
        b.putShort(50, (short) 6);        // backup boot sector
        b.put(64, (byte) 0x80);           // drive number: a hard disk
        b.put(66, (byte) 0x29);           // extended boot signature: the next three fields are valid
        b.putInt(67, volumeId);
        b.put(71, "MORGANA-ESP".getBytes(StandardCharsets.US_ASCII));
        b.put(82, "FAT32   ".getBytes(StandardCharsets.US_ASCII));
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return b.array();
    }

    private static byte[] fsInfo(long freeClusters, long nextFree) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x41615252).putInt(484, 0x61417272);
        b.putInt(488, (int) freeClusters).putInt(492, (int) nextFree);
        b.putInt(508, 0xAA550000);
        return b.array();
    }

    /** One 32-byte directory entry; {@code name83} is the 8.3 name as FAT stores it: base and extension, space-padded. */
    private static void directoryEntry(ByteBuffer v, int at, String name83, int attributes, int cluster, int size) {
        v.put(at, String.format("%-11s", name83).getBytes(StandardCharsets.US_ASCII));
        v.put(at + 11, (byte) attributes);
        v.putShort(at + 16, (short) FIXED_DATE);   // created
        v.putShort(at + 18, (short) FIXED_DATE);   // last accessed
        v.putShort(at + 20, (short) (cluster >>> 16));
        v.putShort(at + 24, (short) FIXED_DATE);   // written (time 00:00 stays zero)
        v.putShort(at + 26, (short) cluster);
        v.putInt(at + 28, size);
    }
}
