package morgana.blog.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * One file of a {@link SiteBundle}: its request path, its media type, its bytes, an optional
 * pre-compressed gzip variant and a strong entity tag.
 *
 * <p>Immutable: the arrays are copied in and {@link #body()} / {@link #gzipBody()} hand out copies.
 * Servers use the read-only views {@link #bodyView()} and {@link #gzipView()} to avoid copying.
 *
 * @param path        absolute request path, e.g. {@code /posts/hello/index.html}
 * @param contentType media type, with {@code charset=utf-8} for text
 * @param body        the bytes served for {@code Content-Encoding: identity}
 * @param gzipBody    the same content gzip-compressed, or {@code null} when gzip would not help
 * @param etag        strong entity tag of {@code body}: the quoted hex SHA-256 (RFC 9110 §8.8.3)
 */
public record BundleEntry(String path, String contentType, byte[] body, byte[] gzipBody, String etag) {

    /** Gzip is kept only when it saves at least this fraction of the body (1/10). */
    private static final int GZIP_MIN_SAVING_DIVISOR = 10;

    public BundleEntry {
        checkPath(path);
        Objects.requireNonNull(contentType, "contentType");
        body = Objects.requireNonNull(body, "body").clone();
        gzipBody = gzipBody == null ? null : gzipBody.clone();
        if (!etagOf(body).equals(etag)) {
            throw new IllegalArgumentException("etag of " + path + " is not the SHA-256 of its body: " + etag);
        }
    }

    /** An entry for {@code body}, with the gzip variant and the etag computed here. */
    public static BundleEntry of(String path, String contentType, byte[] body) {
        return new BundleEntry(path, contentType, body, gzipIfWorthIt(contentType, body), etagOf(body));
    }

    /** The strong etag for a body: {@code "<64 hex digits of SHA-256>"}, quotes included. */
    public static String etagOf(byte[] body) {
        return '"' + HexFormat.of().formatHex(sha256(body)) + '"';
    }

    /**
     * The etag of the gzip variant. A strong validator must differ between content codings of the
     * same resource (RFC 9110 §8.8.3), so the gzip variant gets its own.
     */
    public String gzipEtag() {
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }

    /** The SHA-256 of the body, in lowercase hex: what {@link #etag()} quotes. */
    public String sha256Hex() {
        return etag.substring(1, etag.length() - 1);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public byte[] gzipBody() {
        return gzipBody == null ? null : gzipBody.clone();
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

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleEntry that
                && path.equals(that.path)
                && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body)
                && Arrays.equals(gzipBody, that.gzipBody)
                && etag.equals(that.etag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, contentType, etag);
    }

    @Override
    public String toString() {
        return "BundleEntry[" + path + ", " + contentType + ", " + body.length + " bytes"
                + (gzipBody == null ? "" : ", gzip " + gzipBody.length) + ", " + etag + "]";
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

    private static byte[] gzipIfWorthIt(String contentType, byte[] body) {
        if (!ContentTypes.isCompressible(contentType) || body.length == 0) {
            return null;
        }
        var out = new ByteArrayOutputStream(body.length / 2 + 32);
        // GZIPOutputStream writes a fixed header (mtime 0, no name), so the output depends only on the body.
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] compressed = out.toByteArray();
        return compressed.length <= body.length - body.length / GZIP_MIN_SAVING_DIVISOR ? compressed : null;
    }
}
