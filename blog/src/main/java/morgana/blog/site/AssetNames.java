package morgana.blog.site;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;

/**
 * The fingerprinted names of a site's static files ({@code /img/cat.png} is also served as
 * {@code /img/cat.3f9a1c2e07.png}, cached for a year), and the rewriting of a generated page's {@code src} and
 * {@code href} attributes to them, so that a browser fetches an asset again exactly when it changed. The plain
 * name stays served, for links from elsewhere and for URLs written in stylesheets. HTML files and
 * {@code /.well-known/} are not assets: their names are their addresses.
 */
final class AssetNames {

    /** What rewriting a page consulted: each asset path its attributes resolved to, with its name then. */
    record Rewritten(byte[] html, Map<String, String> consulted) {}

    private static final byte[][] ATTRIBUTES = {" src=\"".getBytes(StandardCharsets.US_ASCII),
            " href=\"".getBytes(StandardCharsets.US_ASCII)};

    private final Map<String, String> fingerprinted;

    private AssetNames(Map<String, String> fingerprinted) {
        this.fingerprinted = fingerprinted;
    }

    /** The names for these static entries (path to entry); {@link #none()} when fingerprinting is off. */
    static AssetNames of(Map<String, BundleEntry> staticEntries) {
        var names = new HashMap<String, String>();
        staticEntries.forEach((path, entry) -> {
            if (isAsset(path, entry)) {
                names.put(path, withHash(path, SiteBuilder.fingerprint(entry.body())));
            }
        });
        return new AssetNames(names);
    }

    static AssetNames none() {
        return new AssetNames(Map.of());
    }

    /** The extra entries to serve: each asset under its fingerprinted name. */
    Map<String, BundleEntry> fingerprintedEntries(Map<String, BundleEntry> staticEntries) {
        var out = new LinkedHashMap<String, BundleEntry>();
        fingerprinted.forEach((path, hashed) -> out.put(hashed, staticEntries.get(path).withPath(hashed)));
        return out;
    }

    /** The fingerprinted name of the asset at {@code path}, or "" when it is not an asset of the site. */
    String nameOf(String path) {
        return fingerprinted.getOrDefault(path, "");
    }

    /**
     * Whether a page that consulted these paths would be rewritten the same way now: every asset it pointed at
     * has the same name, and nothing it pointed at has become or stopped being an asset.
     */
    boolean sameAs(Map<String, String> consulted) {
        for (var e : consulted.entrySet()) {
            if (!nameOf(e.getKey()).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The page at {@code pagePath} (UTF-8) with each attribute that points at an asset pointing at its fingerprinted
     * name; the same array when none does.
     */
    Rewritten rewrite(byte[] html, String pagePath) {
        if (fingerprinted.isEmpty()) {
            return new Rewritten(html, Map.of());
        }
        var consulted = new HashMap<String, String>();
        var out = new ByteArrayOutputStream(html.length + 64);
        int copied = 0;
        for (int at = nextAttribute(html, 0); at >= 0; at = nextAttribute(html, at)) {
            int start = indexOf(html, (byte) '"', at) + 1;
            int end = indexOf(html, (byte) '"', start);
            if (end < 0) {
                break;
            }
            at = end;
            String value = new String(html, start, end - start, StandardCharsets.UTF_8);
            String path = assetPathOf(value, pagePath);
            if (path == null) {
                continue;
            }
            String hashed = nameOf(path);
            consulted.put(path, hashed);
            if (hashed.isEmpty()) {
                continue;
            }
            int nameEnd = nameEnd(value);
            int nameStart = value.lastIndexOf('/', nameEnd - 1) + 1;
            int nameStartByte = start + utf8Length(value, nameStart);
            out.write(html, copied, nameStartByte - copied);
            out.writeBytes(hashed.substring(hashed.lastIndexOf('/') + 1).getBytes(StandardCharsets.UTF_8));
            copied = start + utf8Length(value, nameEnd);
        }
        if (copied == 0) {
            return new Rewritten(html, Map.copyOf(consulted));
        }
        out.write(html, copied, html.length - copied);
        return new Rewritten(out.toByteArray(), Map.copyOf(consulted));
    }

    /** Where the next {@code  src="} or {@code  href="} starts, from {@code from} on; -1 when there is none. */
    private static int nextAttribute(byte[] html, int from) {
        for (int i = indexOf(html, (byte) ' ', from); i >= 0; i = indexOf(html, (byte) ' ', i + 1)) {
            for (byte[] attribute : ATTRIBUTES) {
                if (Arrays.equals(html, i, Math.min(html.length, i + attribute.length), attribute, 0, attribute.length)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int indexOf(byte[] html, byte b, int from) {
        for (int i = from; i < html.length; i++) {
            if (html[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The UTF-8 length of the first {@code chars} characters of {@code text}. */
    private static int utf8Length(String text, int chars) {
        return text.substring(0, chars).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Where the name of {@code value} ends: before its query or fragment. */
    private static int nameEnd(String value) {
        int end = value.length();
        int query = value.indexOf('?');
        int fragment = value.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return end;
    }

    /**
     * The site path an attribute value resolves to from the page, when it may name a file (its last segment
     * has an extension), else null: external URLs, fragments and directory links are not looked at.
     */
    private static String assetPathOf(String value, String pagePath) {
        int end = nameEnd(value);
        String name = value.substring(0, end);
        if (name.isEmpty() || name.startsWith("//") || name.contains(":") || name.contains("&")) {
            return null; // a fragment, another host, a scheme or an entity: not a plain path of this site
        }
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        if (dot <= slash + 1 || name.endsWith(".html")) {
            return null;
        }
        try {
            String path = new URI("http", "site", pagePath, null).resolve(new URI(name)).getPath();
            return path == null || !path.startsWith("/") ? null : path;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null; // the link check reports it
        }
    }

    private static boolean isAsset(String path, BundleEntry entry) {
        return !path.startsWith("/.well-known/") && !entry.contentType().startsWith("text/html")
                && !ContentTypes.REDIRECT.equals(entry.contentType()) && withHash(path, "x") != null;
    }

    /** {@code /img/cat.png} with hash h: {@code /img/cat.h.png}; a name without an extension gets none. */
    static String withHash(String path, String hash) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1) {
            return null;
        }
        return path.substring(0, dot) + "." + Objects.requireNonNull(hash) + path.substring(dot);
    }
}
