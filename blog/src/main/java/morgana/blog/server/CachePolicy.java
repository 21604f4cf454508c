package morgana.blog.server;

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

    private CachePolicy() {}

    static String forEntry(BundleEntry entry) {
        String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
        if (isHashedName(name)) {
            return FINGERPRINTED;
        }
        String type = entry.contentType();
        if (type.startsWith("text/html") || type.startsWith("application/atom+xml") || type.startsWith("application/xml")) {
            return SHORT;
        }
        return DEFAULT;
    }

    /**
     * Whether the name ends in {@code [.-]<8 or more hex digits>.<extension>}: checked by hand, as every
     * response asks (a regular expression here was a visible share of serving a page).
     */
    static boolean isHashedName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return false;
        }
        for (int i = dot + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        int start = dot;
        while (start > 0 && Character.digit(name.charAt(start - 1), 16) >= 0) {
            start--;
        }
        return dot - start >= 8 && start > 0 && (name.charAt(start - 1) == '.' || name.charAt(start - 1) == '-');
    }
}
