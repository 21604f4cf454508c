package morgana.blog.render;

import java.util.Objects;
import morgana.blog.site.Post;

/**
 * A post with its body rendered to HTML and the summary the index shows: the front matter's, or else the
 * start of the first paragraph.
 */
public record RenderedPost(Post post, Html.Safe body, String summary) {

    private static final int SUMMARY_LIMIT = 240;

    public RenderedPost {
        Objects.requireNonNull(post, "post");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(summary, "summary");
    }

    public static RenderedPost of(Post post, MarkdownRenderer.Rendered rendered) {
        String summary = post.summary().orElseGet(() -> shorten(rendered.firstParagraphText()));
        return new RenderedPost(post, new Html.Safe(rendered.html()), summary);
    }

    /** Cuts at a word boundary before {@value #SUMMARY_LIMIT} characters, adding an ellipsis when it cut. */
    static String shorten(String text) {
        String collapsed = text.replaceAll("\\s+", " ").strip();
        if (collapsed.length() <= SUMMARY_LIMIT) {
            return collapsed;
        }
        int cut = collapsed.lastIndexOf(' ', SUMMARY_LIMIT);
        return collapsed.substring(0, cut > SUMMARY_LIMIT / 2 ? cut : SUMMARY_LIMIT).stripTrailing() + "…";
    }
}
