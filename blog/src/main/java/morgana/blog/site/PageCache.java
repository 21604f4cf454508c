package morgana.blog.site;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.render.HtmlMinifier;
import morgana.blog.render.RenderedPost;

/**
 * Generated pages from the previous build, by path, with the inputs they were made from. A page whose inputs
 * are the same (the very same rendered posts, equal other values) is reused without rendering; one that renders
 * to the same bytes (same SHA-256) is reused without compressing. This is what makes a rebuild after editing one post cost
 * that post and the few pages that list it.
 */
final class PageCache {

    @FunctionalInterface
    interface Render {
        /** The page as the UTF-8 bytes it is served as. */
        byte[] body() throws SiteException;
    }

    /**
     * A page to make: where, of which type, from which inputs (rendered posts compare by identity, the rest by
     * equality) and how.
     */
    record Page(String path, String contentType, List<Object> inputs, Render render) {}

    /**
     * A page made before: its inputs, the asset names its links were rewritten with, and its entry (whose etag
     * is the body's SHA-256, so no text is kept).
     */
    private record Made(List<Object> inputs, Map<String, String> assets, BundleEntry entry) {}

    private final Map<String, Made> made = new ConcurrentHashMap<>();
    private final AtomicInteger rendered = new AtomicInteger();

    /**
     * The entry of {@code page}: the previous one when its inputs and the names of the assets it links to are
     * the same, else rendered now, its links to static files renamed by {@code assets} and, when asked, minified.
     */
    BundleEntry entryFor(Page page, AssetNames assets, boolean minify) throws SiteException {
        Made previous = made.get(page.path());
        if (previous != null && sameInputs(previous.inputs(), page.inputs()) && assets.sameAs(previous.assets())) {
            return previous.entry();
        }
        byte[] body = page.render().body();
        Map<String, String> consulted = Map.of();
        if (page.contentType().equals(ContentTypes.HTML)) {
            AssetNames.Rewritten rewritten = assets.rewrite(body, page.path());
            consulted = rewritten.consulted();
            body = minify
                    ? HtmlMinifier.minify(new String(rewritten.html(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                    : rewritten.html();
        }
        rendered.incrementAndGet();
        BundleEntry entry = previous != null && previous.entry().contentType().equals(page.contentType())
                && previous.entry().etag().equals(BundleEntry.etagOf(body))
                ? previous.entry()
                : BundleEntry.adopting(page.path(), page.contentType(), body);
        made.put(page.path(), new Made(page.inputs(), consulted, entry));
        return entry;
    }

    /** How many pages were rendered since this cache was made. */
    int rendered() {
        return rendered.get();
    }

    void retainOnly(Set<String> paths) {
        made.keySet().retainAll(paths);
    }

    void clear() {
        made.clear();
    }

    private static boolean sameInputs(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            boolean same = x instanceof RenderedPost || y instanceof RenderedPost ? x == y : java.util.Objects.equals(x, y);
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
