package morgana.blog.site;

import java.time.Instant;
import java.util.Objects;

/**
 * How to build: what to publish and for whom.
 *
 * @param drafts     publish posts marked {@code draft: true} ({@code --drafts})
 * @param future     publish posts dated after {@code now} ({@code --future})
 * @param now        the instant that decides what is a future post (passed in: builds read no clock)
 * @param liveReload pages carry the reload script of {@code morgana serve --watch}
 */
public record BuildOptions(boolean drafts, boolean future, Instant now, boolean liveReload) {

    public BuildOptions {
        Objects.requireNonNull(now, "now");
    }

    /** What a published site holds at {@code now}: no drafts, no future posts, no reload script. */
    public static BuildOptions publishing(Instant now) {
        return new BuildOptions(false, false, now, false);
    }

    public BuildOptions withLiveReload(boolean on) {
        return new BuildOptions(drafts, future, now, on);
    }
}
