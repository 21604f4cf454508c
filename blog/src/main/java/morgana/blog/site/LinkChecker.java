package morgana.blog.site;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.render.MarkdownRenderer;

/**
 * Every link and image of a post that points inside the site must be a page or file of the bundle. External
 * links ({@code https://...}, {@code mailto:}) and fragments are not ours to check.
 */
public final class LinkChecker {

    /** A link of {@code post} that leads nowhere, at its file line. */
    public record BrokenLink(Post post, int line, String destination, String problem) {
        public SiteException toException() {
            return new SiteException(post.source(), line, problem);
        }
    }

    private LinkChecker() {}

    public static List<BrokenLink> check(Post post, List<MarkdownRenderer.LinkTarget> links, SiteBundle bundle) {
        var broken = new ArrayList<BrokenLink>();
        URI base = URI.create("http://site" + post.urlPath());
        for (MarkdownRenderer.LinkTarget link : links) {
            String destination = link.destination();
            if (destination.isEmpty() || destination.startsWith("#")) {
                continue;
            }
            // a plain path of this site (no dot segment, nothing to decode, no query) is what resolving it gives
            if (Permalink.isSafePath(destination)) {
                if (bundle.find(destination).isEmpty()) {
                    broken.add(brokenLink(post, link, destination, destination, bundle));
                }
                continue;
            }
            URI uri;
            try {
                uri = new URI(destination);
            } catch (URISyntaxException e) {
                broken.add(new BrokenLink(post, link.line(), destination, "the link target \"" + destination
                        + "\" is not a valid URL (" + e.getReason() + ")"));
                continue;
            }
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                continue;
            }
            String path = base.resolve(uri).getPath();
            if (path == null || path.isEmpty() || bundle.find(path).isPresent()) {
                continue;
            }
            broken.add(brokenLink(post, link, destination, path, bundle));
        }
        return broken;
    }

    private static BrokenLink brokenLink(Post post, MarkdownRenderer.LinkTarget link, String destination, String path,
                                         SiteBundle bundle) {
        String hint = bundle.find(path + "/").isPresent() ? " (did you mean " + path + "/ ?)" : "";
        String what = looksLikeImage(path) ? "an image that is not a file of this site" : "not a page or file of this site";
        return new BrokenLink(post, link.line(), destination, "links to " + destination + ", which is " + what + hint);
    }

    private static boolean looksLikeImage(String path) {
        return path.matches("(?i).*\\.(png|jpe?g|gif|svg|webp|avif)$");
    }
}
