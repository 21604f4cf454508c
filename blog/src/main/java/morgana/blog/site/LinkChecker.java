package morgana.blog.site;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import morgana.blog.bundle.SiteBundle;

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

    /**
     * The broken links of {@code post}, whose link and image targets are {@code links} in document order.
     * {@code lines} gives the file line of each of them, in the same order; it is asked only when one is broken.
     */
    public static List<BrokenLink> check(Post post, List<String> links, SiteBundle bundle, Supplier<int[]> lines) {
        var found = new ArrayList<Problem>();
        URI base = null;
        for (int i = 0; i < links.size(); i++) {
            String destination = links.get(i);
            if (destination.isEmpty() || destination.startsWith("#")) {
                continue;
            }
            // a plain path of this site (no dot segment, nothing to decode, no query) is what resolving it gives
            if (Permalink.isSafePath(destination)) {
                if (bundle.find(destination).isEmpty()) {
                    found.add(new Problem(i, destination, missing(destination, destination, bundle)));
                }
                continue;
            }
            URI uri;
            try {
                uri = new URI(destination);
            } catch (URISyntaxException e) {
                found.add(new Problem(i, destination, "the link target \"" + destination + "\" is not a valid URL ("
                        + e.getReason() + ")"));
                continue;
            }
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                continue;
            }
            if (base == null) {
                base = URI.create("http://site" + post.urlPath());
            }
            String path = base.resolve(uri).getPath();
            if (path == null || path.isEmpty() || bundle.find(path).isPresent()) {
                continue;
            }
            found.add(new Problem(i, destination, missing(destination, path, bundle)));
        }
        if (found.isEmpty()) {
            return List.of();
        }
        int[] fileLines = lines.get();
        var broken = new ArrayList<BrokenLink>(found.size());
        for (Problem problem : found) {
            int line = problem.index() < fileLines.length ? fileLines[problem.index()] : post.bodyFirstLine();
            broken.add(new BrokenLink(post, line, problem.destination(), problem.message()));
        }
        return broken;
    }

    /** What is wrong with the link at {@code index} of a post. */
    private record Problem(int index, String destination, String message) {}

    private static String missing(String destination, String path, SiteBundle bundle) {
        String hint = bundle.find(path + "/").isPresent() ? " (did you mean " + path + "/ ?)" : "";
        String what = looksLikeImage(path) ? "an image that is not a file of this site" : "not a page or file of this site";
        return "links to " + destination + ", which is " + what + hint;
    }

    private static boolean looksLikeImage(String path) {
        return path.matches("(?i).*\\.(png|jpe?g|gif|svg|webp|avif)$");
    }
}
