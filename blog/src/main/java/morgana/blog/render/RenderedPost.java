package morgana.blog.render;

import java.util.Objects;
import morgana.blog.site.Post;

/**
 * A post with its body rendered to HTML and the summary the index shows: the HTML before
 * {@code <!-- more -->}, else the front matter's {@code summary}, else the start of the first paragraph. The
 * summary is also kept as plain text ({@link #summaryText(Post, MarkdownRenderer.Rendered)}), for the feed and the
 * page's description.
 */
public record RenderedPost(Post post, MarkdownRenderer.Rendered rendered, Html.Safe summary, String summaryText) {

    private static final int SUMMARY_LIMIT = 240;
    private static final int WORDS_PER_MINUTE = 220;

    public RenderedPost {
        Objects.requireNonNull(post, "post");
        Objects.requireNonNull(rendered, "rendered");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(summaryText, "summaryText");
    }

    public static RenderedPost of(Post post, MarkdownRenderer.Rendered rendered) {
        String text = summaryText(post, rendered);
        Html.Safe summary = !rendered.summaryHtml().isEmpty()
                ? new Html.Safe(rendered.summaryHtml())
                : new Html.Safe("<p>" + Html.escape(text) + "</p>");
        return new RenderedPost(post, rendered, summary, text);
    }

    /** The summary as plain text, for the feed and the page's description. */
    public static String summaryText(Post post, MarkdownRenderer.Rendered rendered) {
        return post.summary().orElseGet(() -> shorten(rendered.firstParagraphText()));
    }

    public Html.Safe body() {
        return new Html.Safe(rendered.html());
    }

    /** Minutes to read at {@value #WORDS_PER_MINUTE} words a minute, at least 1. */
    public int readingMinutes() {
        return Math.max(1, (rendered.words() + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE);
    }

    /** Cuts at a word boundary before {@value #SUMMARY_LIMIT} characters, adding an ellipsis when it cut. */
    static String shorten(String text) {
        String collapsed = collapseWhitespace(text, SUMMARY_LIMIT);
        if (collapsed.length() <= SUMMARY_LIMIT) {
            return collapsed;
        }
        int cut = collapsed.lastIndexOf(' ', SUMMARY_LIMIT);
        return collapsed.substring(0, cut > SUMMARY_LIMIT / 2 ? cut : SUMMARY_LIMIT).stripTrailing() + "…";
    }

    /**
     * Each run of regex white space ({@code \s}: space, tab, line breaks, vertical tab, form feed) as one space,
     * then stripped: what {@code replaceAll("\\s+", " ").strip()} gives, in a loop, as the regex is slow here. Only
     * the start is made when the text is longer than {@code limit}: enough that the part a summary is cut from is the
     * same (it goes on to a character that {@link String#strip} keeps), and the result still longer than {@code limit}.
     */
    static String collapseWhitespace(String text, int limit) {
        var collapsed = new StringBuilder(Math.min(text.length(), limit + 16));
        boolean space = false;
        int kept = -1; // where what strip() keeps starts
        for (int i = 0; i < text.length(); i++) {
            if (kept >= 0 && collapsed.length() - kept > limit + 1
                    && !Character.isWhitespace(collapsed.charAt(collapsed.length() - 1))) {
                break;
            }
            if (kept < 0 && !collapsed.isEmpty() && !Character.isWhitespace(collapsed.charAt(collapsed.length() - 1))) {
                kept = collapsed.length() - 1;
            }
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r') {
                space = true;
            } else {
                if (space && !collapsed.isEmpty()) {
                    collapsed.append(' ');
                }
                space = false;
                collapsed.append(c);
            }
        }
        return collapsed.toString().strip();
    }
}
