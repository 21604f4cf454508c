package morgana.blog.site;

import java.time.ZoneId;
import java.util.Objects;

/**
 * What a post's front matter is read against.
 *
 * @param zone            the zone of dates and times written without an offset
 * @param permalink       the site's permalink pattern (a post's {@code permalink:} replaces it)
 * @param section         Hugo's {@code :section} (the content folder), "posts" elsewhere
 * @param dateFromFileName Jekyll's rule: a post without {@code date} is dated by its {@code YYYY-MM-DD-} file
 *                        name prefix, and one without {@code title} is titled from its file name
 * @param standalone      a page (about, contact) rather than a post: its date is optional
 */
public record PostSettings(ZoneId zone, Permalink permalink, String section, boolean dateFromFileName,
                           boolean standalone) {

    public static final PostSettings DEFAULTS =
            new PostSettings(java.time.ZoneOffset.UTC, Permalink.DEFAULT, "posts", false, false);
    /** Where stand-alone pages are served: {@code pages/about.md} at {@code /about/}. */
    public static final Permalink PAGE_PERMALINK = new Permalink("/:slug/");

    /** The settings for the stand-alone pages of a site whose posts are read with these. */
    public PostSettings forPages() {
        return new PostSettings(zone, PAGE_PERMALINK, "", dateFromFileName, true);
    }

    public PostSettings {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(permalink, "permalink");
        Objects.requireNonNull(section, "section");
    }
}
