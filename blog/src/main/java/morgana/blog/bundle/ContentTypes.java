package morgana.blog.bundle;

import java.util.Locale;
import java.util.Map;

/** Media types by file extension, for the files a static blog serves. */
public final class ContentTypes {

    public static final String HTML = "text/html; charset=utf-8";
    public static final String CSS = "text/css; charset=utf-8";
    public static final String PLAIN_TEXT = "text/plain; charset=utf-8";
    public static final String ATOM = "application/atom+xml; charset=utf-8";
    public static final String OCTET_STREAM = "application/octet-stream";
    /**
     * Not a type that goes on the wire: an entry of this type is a permanent redirect, and its body is the
     * path it redirects to (UTF-8). The server answers it with 301 and {@code Location}.
     */
    public static final String REDIRECT = "application/x-morgana-redirect";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", HTML),
            Map.entry("htm", HTML),
            Map.entry("css", CSS),
            Map.entry("txt", PLAIN_TEXT),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml; charset=utf-8"),
            Map.entry("atom", ATOM),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("wasm", "application/wasm"));

    private ContentTypes() {}

    /** The media type for a path, from its extension; {@code application/octet-stream} when unknown. */
    public static String forPath(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1) { // no extension, or a dot file such as ".well-known"
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }

    /** Whether gzip is worth trying: text and text-like formats; images other than SVG are already compressed. */
    public static boolean isCompressible(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/")
                || type.startsWith("image/svg+xml")
                || type.startsWith("application/json")
                || type.startsWith("application/xml")
                || type.startsWith("application/atom+xml")
                || type.startsWith("application/wasm")
                || type.startsWith("image/vnd.microsoft.icon");
    }
}
