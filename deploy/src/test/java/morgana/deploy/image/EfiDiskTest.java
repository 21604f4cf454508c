package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EC2 disk, read back the way firmware reads it: GPT headers and their CRCs, then FAT32 down to the loader. */
class EfiDiskTest {
    private static final int SECTOR = 512;

    @Test
    void theDiskHasAValidGptWithOneEfiSystemPartitionAndABackupAtTheEnd(@TempDir Path tmp) throws Exception {
        byte[] loader = loader(300_000);
        Path disk = writeDisk(tmp, loader);
        ByteBuffer d = map(disk);
        long sectors = d.capacity() / SECTOR;

        assertThat(d.capacity() % (1 << 30)).isZero();
        assertThat(d.get(446 + 4) & 0xFF).as("protective MBR type").isEqualTo(0xEE);
        assertThat(d.getShort(510) & 0xFFFF).isEqualTo(0xAA55);
        ByteBuffer primary = header(d, 1);
        ByteBuffer backup = header(d, sectors - 1);
        assertThat(primary.getLong(32)).as("primary's alternate").isEqualTo(sectors - 1);
        assertThat(backup.getLong(32)).as("backup's alternate").isEqualTo(1);
        assertThat(backup.getLong(72)).as("backup entries before the backup header").isEqualTo(sectors - 33);
        assertThat(crc(slice(d, 2 * SECTOR, 128 * 128))).isEqualTo(primary.getInt(88));
        assertThat(slice(d, (sectors - 33) * SECTOR, 128 * 128)).isEqualTo(slice(d, 2 * SECTOR, 128 * 128));

        byte[] entry = slice(d, 2 * SECTOR, 128);
        assertThat(HexFormat.of().formatHex(entry, 0, 16)).as("EFI system partition type GUID")
                .isEqualTo("28732ac11ff8d211ba4b00a0c93ec93b");
        ByteBuffer e = ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(e.getLong(32)).isEqualTo(GptDisk.FIRST_LBA);
        assertThat(slice(d, 2 * SECTOR + 128, 128)).as("no second partition").containsOnly(0);
    }

    @Test
    void theEspIsFat32WithTheLoaderAtTheRemovableMediaPath(@TempDir Path tmp) throws Exception {
        byte[] loader = loader(1_234_567);
        ByteBuffer d = map(writeDisk(tmp, loader));
        int volume = (int) GptDisk.FIRST_LBA * SECTOR;
        ByteBuffer v = d.slice(volume, d.capacity() - volume).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(new String(slice(v, 82, 8), StandardCharsets.US_ASCII)).isEqualTo("FAT32   ");
        int reserved = v.getShort(14) & 0xFFFF;
        int fatSectors = v.getInt(36);
        int spc = v.get(13);
        long total = v.getInt(32) & 0xFFFF_FFFFL;
        long clusters = (total - reserved - 2L * fatSectors) / spc;
        assertThat(clusters).as("FAT32 by cluster count (fatgen103)").isGreaterThanOrEqualTo(65_525);
        assertThat(v.getInt(28)).as("hidden sectors: the partition's LBA").isEqualTo((int) GptDisk.FIRST_LBA);
        assertThat(slice(v, 6 * SECTOR, SECTOR)).as("backup boot sector").isEqualTo(slice(v, 0, SECTOR));

        Fat fat = new Fat(v, reserved, fatSectors, spc);
        int efi = fat.find(v.getInt(44), "EFI        ");
        int boot = fat.find(efi, "BOOT       ");
        int entry = fat.entry(boot, "BOOTX64 EFI");
        assertThat(v.getInt(entry + 28)).isEqualTo(loader.length);
        int first = (v.getShort(entry + 20) & 0xFFFF) << 16 | v.getShort(entry + 26) & 0xFFFF;
        assertThat(fat.read(first, loader.length)).isEqualTo(loader);
    }

    @Test
    void theSameLoaderGivesTheSameDiskAndAnotherGivesOtherGuids(@TempDir Path tmp) throws Exception {
        Path one = writeDisk(tmp.resolve("1"), loader(5000));
        Path two = writeDisk(tmp.resolve("2"), loader(5000));
        Path other = writeDisk(tmp.resolve("3"), loader(5001));

        assertThat(Files.mismatch(one, two)).isEqualTo(-1);
        byte[] guidOne = slice(map(one), SECTOR + 56, 16);
        byte[] guidOther = slice(map(other), SECTOR + 56, 16);
        assertThat(guidOne).isNotEqualTo(guidOther);
        assertThat(guidOne[7] & 0xF0).as("a version-4 style GUID").isEqualTo(0x40);
    }

    private static Path writeDisk(Path dir, byte[] loader) throws Exception {
        Files.createDirectories(dir);
        long sectors = (Fat32Volume.sectorsFor(loader.length) + 2047) / 2048 * 2048;
        byte[] partition = Fat32Volume.withBootLoader(loader, sectors, GptDisk.FIRST_LBA, 0x12345678);
        Path disk = dir.resolve("disk.raw");
        GptDisk.write(disk, partition);
        return disk;
    }

    /** The disk mapped, not read: it is 1 GiB, nearly all of it a hole. */
    private static ByteBuffer map(Path disk) throws java.io.IOException {
        try (FileChannel channel = FileChannel.open(disk)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static byte[] loader(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 9));
        }
        return b;
    }

    private static ByteBuffer header(ByteBuffer d, long lba) {
        ByteBuffer h = ByteBuffer.wrap(slice(d, lba * SECTOR, SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(slice(h, 0, 8), StandardCharsets.US_ASCII)).isEqualTo("EFI PART");
        assertThat(h.getLong(24)).as("MyLBA").isEqualTo(lba);
        byte[] copy = slice(h, 0, 92);
        Arrays.fill(copy, 16, 20, (byte) 0);
        assertThat(crc(copy)).as("header CRC32 at LBA %d", lba).isEqualTo(h.getInt(16));
        return h;
    }

    private static byte[] slice(ByteBuffer b, long from, int length) {
        byte[] out = new byte[length];
        b.get((int) from, out);
        return out;
    }

    private static int crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return (int) c.getValue();
    }

    /** Just enough of a FAT32 reader: clusters, chains, directory lookup. */
    private record Fat(ByteBuffer v, int reserved, int fatSectors, int spc) {
        int clusterOffset(int cluster) {
            return (reserved + 2 * fatSectors + (cluster - 2) * spc) * SECTOR;
        }

        int next(int cluster) {
            return v.getInt(reserved * SECTOR + cluster * 4) & 0x0FFF_FFFF;
        }

        int entry(int dirCluster, String name) {
            int at = clusterOffset(dirCluster);
            for (int i = 0; i < spc * SECTOR / 32; i++) {
                if (new String(slice(v, at + i * 32, 11), StandardCharsets.US_ASCII).equals(name)) {
                    return at + i * 32;
                }
            }
            throw new AssertionError("no " + name + " in the directory at cluster " + dirCluster);
        }

        int find(int dirCluster, String name) {
            int e = entry(dirCluster, name);
            assertThat(v.get(e + 11) & 0x10).as("%s is a directory", name).isNotZero();
            return (v.getShort(e + 20) & 0xFFFF) << 16 | v.getShort(e + 26) & 0xFFFF;
        }

        byte[] read(int first, int size) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int cluster = first;
            while (out.size() < size) {
                assertThat(cluster).as("chain ends early at %d bytes", out.size()).isBetween(2, 0x0FFF_FFF6);
                out.write(slice(v, clusterOffset(cluster), Math.min(spc * SECTOR, size - out.size())), 0,
                        Math.min(spc * SECTOR, size - out.size()));
                cluster = next(cluster);
            }
            assertThat(cluster).as("end of chain").isGreaterThanOrEqualTo(0x0FFF_FFF8);
            return out.toByteArray();
        }
    }
}
