package morgana.blog.bundle;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The whole site as it is served: an immutable map from request path to {@link BundleEntry}, built once
 * by {@code SiteBuilder}, baked into an image with {@link #writeTo}, loaded at boot with {@link #readFrom}.
 *
 * <h2>Binary format, version 2</h2>
 * All integers are unsigned big-endian; strings are UTF-8 with a 16-bit length prefix.
 * <pre>
 *   magic      8 bytes   "MRGNSITE"
 *   version    u16       2 (version 1 had no zstd variant)
 *   count      u32       number of entries
 *   entries    count x, sorted by path (String order):
 *     path           u16 length + UTF-8   e.g. "/posts/hello/index.html"
 *     content type   u16 length + UTF-8   e.g. "text/html; charset=utf-8"
 *     body           u32 length + bytes
 *     gzip body      u32 length + bytes   length 0 = no gzip variant (a gzip stream is never empty)
 *     zstd body      u32 length + bytes   length 0 = no zstd variant (a zstd frame is never empty)
 *   hash       32 bytes  {@link #bundleHash()}, checked on read
 * </pre>
 * Entity tags are not stored: they are the SHA-256 of each body, recomputed on read. Writing the same
 * bundle always yields the same bytes. The gzip variants come from libdeflate (the JDK's zlib on a machine without
 * it) and the zstd ones from the libzstd of zstd-jni, so a bundle built with another of these may differ in those bytes;
 * {@link #bundleHash()} covers paths, types and bodies only and is therefore the same for the same site everywhere.
 */
public final class SiteBundle {

    /** Where the rendered 404 page lives, and what {@link #notFoundPage()} serves. */
    public static final String NOT_FOUND_PATH = "/404.html";
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = "MRGNSITE".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ENTRIES = 1 << 20;
    private static final int MAX_BODY = 256 << 20;
    private static final int HASH_LENGTH = 32;
    private static final int WRITE_BUFFER = 64 << 10;
    private static final int MAX_WRITERS = 4;
    private static final byte[] NO_BYTES = {};

    private static final byte[] FALLBACK_NOT_FOUND_BODY =
            "<!doctype html>\n<title>Not found</title>\n<h1>Not found</h1>\n".getBytes(StandardCharsets.UTF_8);
    /**
     * Built without compressed variants (60 bytes would not shrink): the guest, which has this class but not
     * the build's zstd encoder on its class path, never compresses anything.
     */
    private static final BundleEntry FALLBACK_NOT_FOUND = new BundleEntry(NOT_FOUND_PATH, ContentTypes.HTML,
            FALLBACK_NOT_FOUND_BODY, null, null, BundleEntry.etagOf(FALLBACK_NOT_FOUND_BODY));

    private final NavigableMap<String, BundleEntry> entries;
    /** The same entries by path, for the lookups of every request and of the link check. */
    private final Map<String, BundleEntry> index;
    private final byte[] hash;

    /** @param built whether the build made these entries (and may hash with {@link Libcrypto}) or a file was read */
    private SiteBundle(NavigableMap<String, BundleEntry> entries, boolean built) {
        this.entries = Collections.unmodifiableNavigableMap(entries);
        this.index = new HashMap<>(entries);
        byte[] hashed = hashInput(this.entries.values());
        this.hash = built ? Libcrypto.sha256(hashed) : BundleEntry.sha256(hashed);
    }

    /** A bundle of these entries; two entries with one path are a mistake of the caller. */
    public static SiteBundle of(Collection<BundleEntry> entries) {
        var byPath = new TreeMap<String, BundleEntry>();
        for (BundleEntry entry : entries) {
            if (byPath.putIfAbsent(entry.path(), entry) != null) {
                throw new IllegalArgumentException("two bundle entries for " + entry.path());
            }
        }
        return new SiteBundle(byPath, true);
    }

    /**
     * The entry a request path names: {@code /} is {@code /index.html}, a path ending in {@code /} is that
     * directory's {@code index.html}, any other path is looked up as it is. The path must already be
     * percent-decoded and free of query and fragment.
     */
    public Optional<BundleEntry> find(String requestPath) {
        if (requestPath == null || !requestPath.startsWith("/")) {
            return Optional.empty();
        }
        String path = requestPath.endsWith("/") ? requestPath + "index.html" : requestPath;
        return Optional.ofNullable(index.get(path));
    }

    /** The entry stored under exactly this path. */
    public Optional<BundleEntry> get(String path) {
        return Optional.ofNullable(index.get(path));
    }

    /** The page served with status 404: the site's {@value #NOT_FOUND_PATH}, or a plain built-in one. */
    public BundleEntry notFoundPage() {
        return index.getOrDefault(NOT_FOUND_PATH, FALLBACK_NOT_FOUND);
    }

    /** Every entry, in path order. */
    public Collection<BundleEntry> entries() {
        return entries.values();
    }

    public NavigableMap<String, BundleEntry> byPath() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /**
     * SHA-256, in lowercase hex, over every entry in path order: path, content type and the SHA-256 of the
     * body (each string with a u16 length prefix). Same site, same hash; any change to any page changes it.
     */
    public String bundleHash() {
        return HexFormat.of().formatHex(hash);
    }

    /**
     * Writes this bundle in the format described on this class. Does not close the stream. Buffered here: an
     * entry is eight small writes around its bodies, each a system call on a plain file stream.
     */
    public void writeTo(OutputStream out) throws IOException {
        var data = new DataOutputStream(new BufferedOutputStream(out, WRITE_BUFFER));
        Sink sink = new Sink() {
            @Override
            public void putShort(int value) throws IOException {
                data.writeShort(value);
            }

            @Override
            public void putInt(int value) throws IOException {
                data.writeInt(value);
            }

            @Override
            public void put(byte[] bytes) throws IOException {
                data.write(bytes);
            }
        };
        writeHead(sink, entries.size());
        for (BundleEntry entry : entries.values()) {
            writeEntry(sink, shortString(entry.path()), shortString(entry.contentType()), entry);
        }
        sink.put(hash);
        data.flush();
    }

    /**
     * Writes this bundle to a file, replacing it, with the same bytes as {@link #writeTo(OutputStream)}. Each entry's
     * place in the file is known beforehand (the sum of the sizes before it), so the entries are written in as many
     * parts as there are cores (at most {@value #MAX_WRITERS}), each part at its place: most of writing a 100 MB
     * bundle is the kernel copying and clearing pages, which then happens on every core. An existing file is written
     * over in place and then cut to the new length rather than truncated first: the kernel reuses its cached pages
     * instead of freeing and allocating them again, which is half the time of rewriting a 90 MB bundle after an edit.
     */
    public void writeTo(Path file) throws IOException {
        BundleEntry[] all = entries.values().toArray(new BundleEntry[0]);
        byte[][] paths = new byte[all.length][];
        byte[][] types = new byte[all.length][];
        long[] starts = new long[all.length + 1];
        long at = MAGIC.length + 2 + 4;
        for (int i = 0; i < all.length; i++) {
            paths[i] = shortString(all[i].path());
            types[i] = shortString(all[i].contentType());
            starts[i] = at;
            at += entryLength(paths[i], types[i], all[i]);
        }
        starts[all.length] = at;
        int parts = Math.max(1, Math.min(MAX_WRITERS, Math.min(all.length, Runtime.getRuntime().availableProcessors())));
        int[] firsts = new int[parts + 1];
        for (int part = 1, i = 0; part < parts; part++) { // each part about as many bytes as the others
            long from = starts[0] + (at - starts[0]) * part / parts;
            while (i < all.length && starts[i] < from) {
                i++;
            }
            firsts[part] = i;
        }
        firsts[parts] = all.length;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            var head = new PositionedWriter(channel, 0, 64);
            writeHead(head, all.length);
            head.flush();
            java.util.stream.IntStream.range(0, parts).parallel().forEach(part -> {
                var out = new PositionedWriter(channel, starts[firsts[part]], WRITE_BUFFER * 4);
                try {
                    for (int i = firsts[part]; i < firsts[part + 1]; i++) {
                        writeEntry(out, paths[i], types[i], all[i]);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            var tail = new PositionedWriter(channel, at, HASH_LENGTH);
            tail.put(hash);
            tail.flush();
            channel.truncate(at + HASH_LENGTH);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Where the format's integers and byte strings go: a stream, or a place in a file. */
    private interface Sink {
        void putShort(int value) throws IOException;

        void putInt(int value) throws IOException;

        void put(byte[] bytes) throws IOException;
    }

    private static void writeHead(Sink out, int count) throws IOException {
        out.put(MAGIC);
        out.putShort(FORMAT_VERSION);
        out.putInt(count);
    }

    /**
     * One entry as the format lays it out, {@code path} and {@code type} already UTF-8; from the entry's own arrays,
     * not the defensive copies its accessors make: a 10 000-post bundle is ~100 MB.
     */
    private static void writeEntry(Sink out, byte[] path, byte[] type, BundleEntry entry) throws IOException {
        out.putShort(path.length);
        out.put(path);
        out.putShort(type.length);
        out.put(type);
        writeBody(out, entry.storedBody());
        writeBody(out, gzipOrNone(entry));
        writeBody(out, zstdOrNone(entry));
    }

    private static void writeBody(Sink out, byte[] body) throws IOException {
        out.putInt(body.length);
        out.put(body);
    }

    /** The bytes {@link #writeEntry} writes for this entry. */
    private static long entryLength(byte[] path, byte[] type, BundleEntry entry) {
        return 2 + path.length + 2 + type.length + 12L + entry.storedBody().length + gzipOrNone(entry).length
                + zstdOrNone(entry).length;
    }

    /** The gzip variant, or no bytes (length 0 is the format's "none"). */
    private static byte[] gzipOrNone(BundleEntry entry) {
        return entry.hasGzip() ? entry.storedGzipBody() : NO_BYTES;
    }

    private static byte[] zstdOrNone(BundleEntry entry) {
        return entry.hasZstd() ? entry.storedZstdBody() : NO_BYTES;
    }

    /** Writes at a place of a file through a buffer of its own, so that several can write one file at once. */
    private static final class PositionedWriter implements Sink {
        private final FileChannel channel;
        private final ByteBuffer buffer;
        private long position;

        PositionedWriter(FileChannel channel, long position, int capacity) {
            this.channel = channel;
            this.position = position;
            this.buffer = ByteBuffer.allocateDirect(capacity);
        }

        @Override
        public void putShort(int value) throws IOException {
            room(2);
            buffer.putShort((short) value);
        }

        @Override
        public void putInt(int value) throws IOException {
            room(4);
            buffer.putInt(value);
        }

        @Override
        public void put(byte[] bytes) throws IOException {
            for (int done = 0; done < bytes.length; ) {
                room(1);
                int n = Math.min(buffer.remaining(), bytes.length - done);
                buffer.put(bytes, done, n);
                done += n;
            }
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            buffer.clear();
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }
    }

    /** Reads a bundle file written by {@link #writeTo(Path)}. */
    public static SiteBundle readFrom(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return readFrom(in);
        }
    }

    /** This bundle in the binary format, as one array. */
    public byte[] toBytes() {
        var out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a bundle written by {@link #writeTo}, checking the magic, the version, the order of the entries,
     * each gzip variant's CRC against its body, each zstd variant's frame magic, and the bundle hash. Reads exactly the bundle's bytes and
     * does not close the stream.
     */
    public static SiteBundle readFrom(InputStream in) throws IOException {
        var data = new DataInputStream(in);
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new BundleFormatException("not a Morgana site bundle (bad magic)");
            }
            int version = data.readUnsignedShort();
            if (version != FORMAT_VERSION) {
                throw new BundleFormatException("site bundle format version " + version
                        + " is not supported (this build reads version " + FORMAT_VERSION + "); rebuild the image");
            }
            int count = data.readInt();
            if (count < 0 || count > MAX_ENTRIES) {
                throw new BundleFormatException("implausible entry count " + Integer.toUnsignedString(count));
            }
            var byPath = new TreeMap<String, BundleEntry>();
            String previous = null;
            for (int i = 0; i < count; i++) {
                String path = readString(data);
                if (previous != null && previous.compareTo(path) >= 0) {
                    throw new BundleFormatException("entries out of order or repeated at " + path);
                }
                previous = path;
                String contentType = readString(data);
                byte[] body = readBytes(data, path);
                byte[] gzip = readBytes(data, path);
                if (gzip.length > 0) {
                    checkGzipTrailer(path, body, gzip);
                }
                byte[] zstd = readBytes(data, path);
                try {
                    byPath.put(path, new BundleEntry(path, contentType, body, gzip.length == 0 ? null : gzip,
                            zstd.length == 0 ? null : zstd, BundleEntry.etagOf(body)));
                } catch (IllegalArgumentException e) {
                    throw new BundleFormatException("bad entry: " + e.getMessage());
                }
            }
            byte[] expected = new byte[HASH_LENGTH];
            data.readFully(expected);
            var bundle = new SiteBundle(byPath, false);
            if (!MessageDigest.isEqual(expected, bundle.hash)) {
                throw new BundleFormatException("site bundle is corrupt: its hash does not match its entries");
            }
            return bundle;
        } catch (EOFException e) {
            throw new BundleFormatException("site bundle is truncated");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteBundle that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "SiteBundle[" + entries.size() + " entries, " + bundleHash() + "]";
    }

    /**
     * What {@link #bundleHash()} is the SHA-256 of: each entry's path and content type (16-bit length and UTF-8) and
     * the SHA-256 of its body, in path order; written into one array (through a DataOutputStream, each of its
     * synchronized writes was a cost of its own for a bundle of 10 000 pages).
     */
    private static byte[] hashInput(Collection<BundleEntry> entries) {
        byte[] out = new byte[entries.size() * 96 + 64];
        int length = 0;
        try {
            for (BundleEntry entry : entries) {
                byte[] path = shortString(entry.path());
                byte[] type = shortString(entry.contentType());
                byte[] digest = entry.digest();
                int need = 4 + path.length + type.length + digest.length;
                if (out.length - length < need) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, length + need));
                }
                length = putShortString(out, length, path);
                length = putShortString(out, length, type);
                System.arraycopy(digest, 0, out, length, digest.length);
                length += digest.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOf(out, length);
    }

    /** {@code utf8}, from {@link #shortString}, with its 16-bit length, at {@code at} of {@code out}; returns its end. */
    private static int putShortString(byte[] out, int at, byte[] utf8) {
        out[at] = (byte) (utf8.length >>> 8);
        out[at + 1] = (byte) utf8.length;
        System.arraycopy(utf8, 0, out, at + 2, utf8.length);
        return at + 2 + utf8.length;
    }

    /** The UTF-8 of a string the format stores with a 16-bit length. */
    private static byte[] shortString(String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IOException("string too long for a site bundle: " + s.substring(0, 80) + "...");
        }
        return utf8;
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readUnsignedShort()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in, String path) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_BODY) {
            throw new BundleFormatException("implausible length " + Integer.toUnsignedString(length) + " in " + path);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** RFC 1952 §2.3: a gzip member ends with the CRC-32 and the length (mod 2^32) of the data, little-endian. */
    private static void checkGzipTrailer(String path, byte[] body, byte[] gzip) throws BundleFormatException {
        if (gzip.length < 18 || (gzip[0] & 0xFF) != 0x1F || (gzip[1] & 0xFF) != 0x8B) {
            throw new BundleFormatException("gzip variant of " + path + " is not gzip");
        }
        var crc = new CRC32();
        crc.update(body);
        int n = gzip.length;
        long storedCrc = littleEndianInt(gzip, n - 8) & 0xFFFFFFFFL;
        long storedSize = littleEndianInt(gzip, n - 4) & 0xFFFFFFFFL;
        if (storedCrc != crc.getValue() || storedSize != (body.length & 0xFFFFFFFFL)) {
            throw new BundleFormatException("gzip variant of " + path + " does not match its body");
        }
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
