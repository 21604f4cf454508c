package morgana.blog.site;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.blog.bundle.BundleEntry;
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
        String text() throws SiteException;
    }

    /**
     * A page to make: where, of which type, from which inputs (rendered posts compare by identity, the rest by
     * equality) and how.
     */
    record Page(String path, String contentType, List<Object> inputs, Render render) {}

    /** A page made before: its inputs and its entry (whose etag is the body's SHA-256, so no text is kept). */
    private record Made(List<Object> inputs, BundleEntry entry) {}

    private final Map<String, Made> made = new ConcurrentHashMap<>();
    private final AtomicInteger rendered = new AtomicInteger();

    BundleEntry entryFor(Page page) throws SiteException {
        Made previous = made.get(page.path());
        if (previous != null && sameInputs(previous.inputs(), page.inputs())) {
            return previous.entry();
        }
        byte[] body = page.render().text().getBytes(StandardCharsets.UTF_8);
        rendered.incrementAndGet();
        BundleEntry entry = previous != null && previous.entry().contentType().equals(page.contentType())
                && previous.entry().etag().equals(BundleEntry.etagOf(body))
                ? previous.entry()
                : BundleEntry.of(page.path(), page.contentType(), body);
        made.put(page.path(), new Made(page.inputs(), entry));
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
