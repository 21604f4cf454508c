package morgana.blog.bundle;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * One file of a {@link SiteBundle}: its request path, its media type, its bytes, optional
 * pre-compressed gzip and zstd variants and a strong entity tag.
 *
 * <p>Immutable: the arrays are copied in and {@link #body()} / {@link #gzipBody()} hand out copies.
 * Servers use the read-only views {@link #bodyView()} and {@link #gzipView()} to avoid copying.
 * The identity body is what {@code Content-Encoding: identity} serves; a compressed variant is kept only
 * when it helps ({@code null} otherwise), and the zstd one is a single RFC 8878 frame, made for bodies of
 * {@value #ZSTD_FROM} bytes or more and kept only when smaller than the gzip one.
 */
public final class BundleEntry {

    /** A compressed variant is kept only when it saves at least this fraction of the body (1/10). */
    private static final int MIN_SAVING_DIVISOR = 10;

    /**
     * The size from which a body gets a zstd variant, kept only when it is smaller than the gzip one. Below it,
     * zstd (level 3) came out larger than libdeflate's gzip (then at level 4) on the pages of both sites measured:
     * by 2 to 3 % on the example blog's pages and the generated corpus's posts (2 to 32 KB). It won from 32 KB on
     * in the corpus (1 % smaller at 32-64 KB, 5 % at 64 KB-1 MB, 15 % on its 2 MB archive pages). Compressing
     * 10 000 small pages a second time for a variant no client should be sent was a twentieth of a large build's
     * CPU time.
     */
    static final int ZSTD_FROM = 32 << 10;
    /** RFC 8878 §3.1.1: every zstd frame starts with 0xFD2FB528, little-endian. */
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};

    private final String path;
    private final String contentType;
    private final byte[] body;
    private final byte[] gzipBody;
    private final byte[] zstdBody;
    private final String etag;
    private byte[] digest; // the etag's SHA-256 as bytes, for the bundle hash; made on first use

    /**
     * An entry from parts made elsewhere (a bundle file being read): the arrays are copied, the zstd variant
     * must be a zstd frame and the etag must be the body's SHA-256.
     */
    public BundleEntry(String path, String contentType, byte[] body, byte[] gzipBody, byte[] zstdBody, String etag) {
        this(path, contentType, Objects.requireNonNull(body, "body").clone(),
                gzipBody == null ? null : gzipBody.clone(), zstdBody == null ? null : zstdBody.clone(), etag, true);
        if (zstdBody != null && !Arrays.equals(zstdBody, 0, Math.min(4, zstdBody.length), ZSTD_MAGIC, 0, 4)) {
            throw new IllegalArgumentException("zstd variant of " + path + " is not a zstd frame");
        }
        if (!etagOf(body).equals(etag)) {
            throw new IllegalArgumentException("etag of " + path + " is not the SHA-256 of its body: " + etag);
        }
    }

    /** Takes the arrays as they are: only for arrays this class made and keeps to itself. */
    private BundleEntry(String path, String contentType, byte[] body, byte[] gzipBody, byte[] zstdBody, String etag,
                        boolean owned) {
        checkPath(path);
        this.path = path;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.body = body;
        this.gzipBody = gzipBody;
        this.zstdBody = zstdBody;
        this.etag = Objects.requireNonNull(etag, "etag");
    }

    /** An entry for {@code body}, with the compressed variants and the etag computed here. */
    public static BundleEntry of(String path, String contentType, byte[] body) {
        return adopting(path, contentType, body.clone());
    }

    /**
     * As {@link #of}, keeping {@code body} itself rather than a copy: for a caller that made the array for this
     * entry and lets go of it (a page just rendered), saving a copy of every page of a build.
     */
    public static BundleEntry adopting(String path, String contentType, byte[] body) {
        boolean compressible = ContentTypes.isCompressible(contentType) && body.length > 0;
        byte[] gzip = compressible ? worthIt(body, Compression.gzip(body)) : null;
        byte[] zstd = compressible && body.length >= ZSTD_FROM ? smallerThan(worthIt(body, Compression.zstd(body)), gzip) : null;
        return new BundleEntry(path, contentType, body, gzip, zstd, etag(Libcrypto.sha256(body)), true);
    }

    /** The same content served at another path (a fingerprinted name), sharing this entry's bytes. */
    public BundleEntry withPath(String otherPath) {
        return new BundleEntry(otherPath, contentType, body, gzipBody, zstdBody, etag, true);
    }

    /** Absolute request path, e.g. {@code /posts/hello/index.html}. */
    public String path() {
        return path;
    }

    /** Media type, with {@code charset=utf-8} for text. */
    public String contentType() {
        return contentType;
    }

    /** Strong entity tag of the body: the quoted hex SHA-256 (RFC 9110 §8.8.3). */
    public String etag() {
        return etag;
    }

    /** The strong etag for a body: {@code "<64 hex digits of SHA-256>"}, quotes included. */
    public static String etagOf(byte[] body) {
        return etag(sha256(body));
    }

    private static String etag(byte[] sha256) {
        return '"' + HexFormat.of().formatHex(sha256) + '"';
    }

    /**
     * The etag of the gzip variant. A strong validator must differ between content codings of the
     * same resource (RFC 9110 §8.8.3), so the gzip variant gets its own.
     */
    public String gzipEtag() {
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }

    /** The etag of the zstd variant; see {@link #gzipEtag()}. */
    public String zstdEtag() {
        return etag.substring(0, etag.length() - 1) + "-zstd\"";
    }

    /** The strong etag of the representation in {@code coding}. */
    public String etag(ContentCoding coding) {
        return switch (coding) {
            case IDENTITY -> etag;
            case GZIP -> gzipEtag();
            case ZSTD -> zstdEtag();
        };
    }

    /** The codings this entry can be served in: identity always, and each variant it has. */
    public Set<ContentCoding> codings() {
        var codings = EnumSet.of(ContentCoding.IDENTITY);
        if (gzipBody != null) {
            codings.add(ContentCoding.GZIP);
        }
        if (zstdBody != null) {
            codings.add(ContentCoding.ZSTD);
        }
        return codings;
    }

    /** A read-only view of the representation in {@code coding}, which must be one of {@link #codings()}. */
    public ByteBuffer view(ContentCoding coding) {
        byte[] bytes = switch (coding) {
            case IDENTITY -> body;
            case GZIP -> gzipBody;
            case ZSTD -> zstdBody;
        };
        if (bytes == null) {
            throw new IllegalArgumentException(path + " has no " + coding.token() + " variant");
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** The body array itself, for {@link SiteBundle#writeTo}: read only, never handed out of this package. */
    byte[] storedBody() {
        return body;
    }

    byte[] storedGzipBody() {
        return gzipBody;
    }

    byte[] storedZstdBody() {
        return zstdBody;
    }

    /** The SHA-256 of the body, as bytes; the array is this entry's own, not to be changed. */
    byte[] digest() {
        byte[] d = digest;
        if (d == null) {
            d = HexFormat.of().parseHex(sha256Hex());
            digest = d;
        }
        return d;
    }

    /** The SHA-256 of the body, in lowercase hex: what {@link #etag()} quotes. */
    public String sha256Hex() {
        return etag.substring(1, etag.length() - 1);
    }

    public byte[] body() {
        return body.clone();
    }

    public byte[] gzipBody() {
        return gzipBody == null ? null : gzipBody.clone();
    }

    public byte[] zstdBody() {
        return zstdBody == null ? null : zstdBody.clone();
    }

    /** A read-only view of the body, without copying. */
    public ByteBuffer bodyView() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** A read-only view of the gzip variant, or {@code null} when there is none. */
    public ByteBuffer gzipView() {
        return gzipBody == null ? null : ByteBuffer.wrap(gzipBody).asReadOnlyBuffer();
    }

    public int bodyLength() {
        return body.length;
    }

    public boolean hasGzip() {
        return gzipBody != null;
    }

    public boolean hasZstd() {
        return zstdBody != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleEntry that
                && path.equals(that.path)
                && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body)
                && Arrays.equals(gzipBody, that.gzipBody)
                && Arrays.equals(zstdBody, that.zstdBody)
                && etag.equals(that.etag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, contentType, etag);
    }

    @Override
    public String toString() {
        return "BundleEntry[" + path + ", " + contentType + ", " + body.length + " bytes"
                + (gzipBody == null ? "" : ", gzip " + gzipBody.length)
                + (zstdBody == null ? "" : ", zstd " + zstdBody.length) + ", " + etag + "]";
    }

    static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("//")
                || path.contains("/../") || path.contains("/./") || path.endsWith("/..") || path.endsWith("/.")) {
            throw new IllegalArgumentException("not a bundle path (absolute, normalised, naming a file): " + path);
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw new IllegalArgumentException("control character in bundle path: " + path.replaceAll("\\p{Cntrl}", "?"));
            }
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * {@code zstd} when it is smaller than {@code gzip} (or there is no gzip variant), else null: a client that
     * takes both codings is sent zstd, which should then be the smaller.
     */
    static byte[] smallerThan(byte[] zstd, byte[] gzip) {
        return zstd != null && (gzip == null || zstd.length < gzip.length) ? zstd : null;
    }

    private static byte[] worthIt(byte[] body, byte[] compressed) {
        return compressed.length <= body.length - body.length / MIN_SAVING_DIVISOR ? compressed : null;
    }
}
