package morgana.blog.server;

import java.util.regex.Pattern;
import morgana.blog.bundle.BundleEntry;

/**
 * {@code Cache-Control} per entry. A file whose name carries a content hash ({@code app.3f9a1c2e.css},
 * {@code font-9b2d4e6f0a.woff2}) never changes under that name: cache it for a year, immutable. HTML and
 * feeds change when a post is published: short. Everything else: an hour. All of it may be revalidated
 * cheaply with the ETag.
 */
final class CachePolicy {

    static final String FINGERPRINTED = "public, max-age=31536000, immutable";
    static final String SHORT = "public, max-age=60";
    static final String DEFAULT = "public, max-age=3600";
    static final String HEALTH = "no-store";

    private static final Pattern HASHED_NAME = Pattern.compile(".*[.-][0-9a-fA-F]{8,}\\.[A-Za-z0-9]+");

    private CachePolicy() {}

    static String forEntry(BundleEntry entry) {
        String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
        if (HASHED_NAME.matcher(name).matches()) {
            return FINGERPRINTED;
        }
        String type = entry.contentType();
        if (type.startsWith("text/html") || type.startsWith("application/atom+xml") || type.startsWith("application/xml")) {
            return SHORT;
        }
        return DEFAULT;
    }
}
