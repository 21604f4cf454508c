package morgana.deploy.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a cpio archive in the "newc" format (magic {@code 070701}), the one the Linux kernel unpacks
 * as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
 *
 * <p>Output is reproducible: every entry has mtime 0, uid and gid 0, and inode numbers assigned in
 * write order; the gzip wrapper has a fixed header (no name, mtime 0). The kernel does not create
 * missing parent directories while unpacking, so this writer emits any parent it has not seen yet
 * (mode 0755) before the entry that needs it.
 */
public final class CpioWriter implements Closeable {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final String TRAILER = "TRAILER!!!";

    private final OutputStream out;
    private final Set<String> directories = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private long written;
    private int nextInode = 1;
    private boolean finished;

    /** A writer of an uncompressed archive to {@code out}. */
    public CpioWriter(OutputStream out) {
        this.out = out;
    }

    /** A writer of a gzip-compressed archive to {@code out}, with a header that carries no time or name. */
    public static CpioWriter gzipped(OutputStream out) throws IOException {
        // GZIPOutputStream writes MTIME 0, no FNAME and a constant OS byte: the same input gives the same bytes.
        return new CpioWriter(new GZIPOutputStream(out, 1 << 16));
    }

    public CpioWriter directory(String path, int permissions) throws IOException {
        String name = normalize(path);
        if (directories.contains(name)) {
            return this;
        }
        ensureParents(name);
        header(name, S_IFDIR | (permissions & 07777), 2, 0, 0, 0);
        directories.add(name);
        return this;
    }

    public CpioWriter file(String path, int permissions, byte[] content) throws IOException {
        String name = normalize(path);
        ensureParents(name);
        header(name, S_IFREG | (permissions & 07777), 1, content.length, 0, 0);
        write(content, content.length);
        pad();
        return this;
    }

    /** A regular file whose content is streamed from {@code source} (which may be large). */
    public CpioWriter file(String path, int permissions, Path source) throws IOException {
        String name = normalize(path);
        ensureParents(name);
        long size = Files.size(source);
        header(name, S_IFREG | (permissions & 07777), 1, size, 0, 0);
        long copied = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(source)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                write(buffer, n);
                copied += n;
            }
        }
        if (copied != size) {
            throw new IOException(source + " changed size while it was being archived (" + size + " -> " + copied + ")");
        }
        pad();
        return this;
    }

    public CpioWriter symlink(String path, String target) throws IOException {
        String name = normalize(path);
        ensureParents(name);
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        header(name, S_IFLNK | 0777, 1, bytes.length, 0, 0);
        write(bytes, bytes.length);
        pad();
        return this;
    }

    public CpioWriter characterDevice(String path, int permissions, int major, int minor) throws IOException {
        String name = normalize(path);
        ensureParents(name);
        header(name, S_IFCHR | (permissions & 07777), 1, 0, major, minor);
        return this;
    }

    /** Writes the trailer entry and pads the archive to a multiple of 512 bytes, as cpio(1) does. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        writeHeader(TRAILER, 0, 0, 1, 0, 0, 0);
        while (written % 512 != 0) {
            out.write(0);
            written++;
        }
        finished = true;
        if (out instanceof GZIPOutputStream gzip) {
            gzip.finish();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private void ensureParents(String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            String parent = name.substring(0, slash);
            if (!directories.contains(parent)) {
                directory(parent, 0755);
            }
        }
    }

    private void header(String name, int mode, int links, long size, int rdevMajor, int rdevMinor)
            throws IOException {
        if (finished) {
            throw new IllegalStateException("the archive is finished; no entry may follow the trailer");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate cpio entry: " + name);
        }
        writeHeader(name, nextInode++, mode, links, size, rdevMajor, rdevMinor);
    }

    private void writeHeader(String name, int inode, int mode, int links, long size, int rdevMajor, int rdevMinor)
            throws IOException {
        if (size > 0xFFFF_FFFFL) {
            throw new IOException(name + " is larger than newc cpio can hold (4 GiB)");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(110);
        h.append("070701");
        hex(h, inode);
        hex(h, mode);
        hex(h, 0); // uid
        hex(h, 0); // gid
        hex(h, links);
        hex(h, 0); // mtime
        hex(h, size);
        hex(h, 0); // devmajor
        hex(h, 0); // devminor
        hex(h, rdevMajor);
        hex(h, rdevMinor);
        hex(h, nameBytes.length + 1);
        hex(h, 0); // check: only used by the "070702" format
        byte[] headerBytes = h.toString().getBytes(StandardCharsets.US_ASCII);
        write(headerBytes, headerBytes.length);
        write(nameBytes, nameBytes.length);
        out.write(0);
        written++;
        pad();
    }

    private static void hex(StringBuilder h, long value) {
        String digits = Long.toHexString(value);
        h.repeat('0', 8 - digits.length()).append(digits);
    }

    private void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
        written += length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            out.write(0);
            written++;
        }
    }

    private static String normalize(String path) {
        String name = path;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.equals(TRAILER) || name.contains("//")
                || name.equals("..") || name.startsWith("../") || name.contains("/../") || name.endsWith("/..")) {
            throw new IllegalArgumentException("not a usable archive path: '" + path + "'");
        }
        return name;
    }
}
