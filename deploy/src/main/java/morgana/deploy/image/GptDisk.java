package morgana.deploy.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * A raw disk with a GUID partition table (UEFI 2.10 §5.3) and one EFI system partition, as EC2 registers
 * with boot mode {@code uefi}. The disk is a whole number of GiB, the unit of an EBS volume, so that the
 * backup table sits in the disk's last sector as the specification wants; the unused space is left as a
 * hole in the file. The disk and partition GUIDs are derived from the partition's content: the same
 * partition gives the same disk.
 */
public final class GptDisk {
    public static final int SECTOR = 512;
    /** The partition starts at 1 MiB, the alignment every partitioning tool uses. */
    public static final long FIRST_LBA = 2048;
    private static final long GIB_SECTORS = (1L << 30) / SECTOR;
    private static final int ENTRIES = 128;
    private static final int ENTRY_SIZE = 128;
    private static final int ENTRY_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR;
    /** C12A7328-F81F-11D2-BA4B-00A0C93EC93B, the EFI system partition type, in GPT's mixed-endian byte order. */
    private static final byte[] ESP_TYPE = guidBytes(0xC12A7328, (short) 0xF81F, (short) 0x11D2,
            new byte[] {(byte) 0xBA, 0x4B, 0x00, (byte) 0xA0, (byte) 0xC9, 0x3E, (byte) 0xC9, 0x3B});

    private GptDisk() {
    }

    /** The disk size, in sectors, for a partition of {@code partitionSectors}: rounded up to whole GiB. */
    public static long diskSectors(long partitionSectors) {
        long needed = FIRST_LBA + partitionSectors + ENTRY_SECTORS + 1;
        return (needed + GIB_SECTORS - 1) / GIB_SECTORS * GIB_SECTORS;
    }

    /** Writes the disk to {@code file}: the tables, then the partition at {@link #FIRST_LBA}. */
    public static void write(Path file, byte[] partition) throws IOException {
        if (partition.length % SECTOR != 0) {
            throw new IllegalArgumentException("a partition is whole sectors: " + partition.length);
        }
        long partitionSectors = partition.length / SECTOR;
        long disk = diskSectors(partitionSectors);
        long last = disk - 1;
        byte[] digest = sha256(partition);
        byte[] diskGuid = randomStyleGuid(digest, 0);
        byte[] partitionGuid = randomStyleGuid(digest, 16);

        ByteBuffer entries = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        entries.put(0, ESP_TYPE).put(16, partitionGuid);
        entries.putLong(32, FIRST_LBA).putLong(40, FIRST_LBA + partitionSectors - 1);
        entries.put(56, "EFI System Partition".getBytes(StandardCharsets.UTF_16LE));
        int entriesCrc = crc32(entries.array());

        long firstUsable = 2 + ENTRY_SECTORS;
        long lastUsable = last - ENTRY_SECTORS - 1;
        byte[] primary = header(1, last, 2, firstUsable, lastUsable, diskGuid, entriesCrc);
        byte[] backup = header(last, 1, last - ENTRY_SECTORS, firstUsable, lastUsable, diskGuid, entriesCrc);

        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAt(out, 0, protectiveMbr(disk));
            writeAt(out, 1, primary);
            writeAt(out, 2, entries.array());
            writeAt(out, FIRST_LBA, partition);
            writeAt(out, last - ENTRY_SECTORS, entries.array());
            writeAt(out, last, backup);
        }
    }

    /** The MBR that tells MBR-only tools the whole disk is taken (UEFI 2.10 §5.2.3). */
    private static byte[] protectiveMbr(long diskSectors) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        int p = 446;
        b.put(p + 1, (byte) 0x00).put(p + 2, (byte) 0x02).put(p + 3, (byte) 0x00); // CHS of LBA 1
        b.put(p + 4, (byte) 0xEE);
        b.put(p + 5, (byte) 0xFF).put(p + 6, (byte) 0xFF).put(p + 7, (byte) 0xFF);
        b.putInt(p + 8, 1);
        b.putInt(p + 12, (int) Math.min(diskSectors - 1, 0xFFFF_FFFFL));
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return b.array();
    }

    private static byte[] header(long myLba, long alternateLba, long entriesLba, long firstUsable, long lastUsable,
                                 byte[] diskGuid, int entriesCrc) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, "EFI PART".getBytes(StandardCharsets.US_ASCII));
        b.putInt(8, 0x0001_0000);
        b.putInt(12, 92);
        b.putLong(24, myLba).putLong(32, alternateLba);
        b.putLong(40, firstUsable).putLong(48, lastUsable);
        b.put(56, diskGuid);
        b.putLong(72, entriesLba);
        b.putInt(80, ENTRIES).putInt(84, ENTRY_SIZE);
        b.putInt(88, entriesCrc);
        byte[] bytes = b.array();
        int crc = crc32(java.util.Arrays.copyOf(bytes, 92));
        b.putInt(16, crc);
        return bytes;
    }

    private static void writeAt(FileChannel out, long lba, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = lba * SECTOR;
        while (buffer.hasRemaining()) {
            position += out.write(buffer, position);
        }
    }

    /** 16 bytes of {@code digest} from {@code offset}, marked as a version-4 (random) GUID, RFC 9562 §5.4. */
    private static byte[] randomStyleGuid(byte[] digest, int offset) {
        byte[] g = java.util.Arrays.copyOfRange(digest, offset, offset + 16);
        g[7] = (byte) ((g[7] & 0x0F) | 0x40); // the version sits in the third field, stored little-endian
        g[8] = (byte) ((g[8] & 0x3F) | 0x80);
        return g;
    }

    private static byte[] guidBytes(int a, short b, short c, byte[] d) {
        ByteBuffer g = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(a).putShort(b).putShort(c).put(d);
        return g.array();
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
