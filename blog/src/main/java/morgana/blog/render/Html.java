package morgana.blog.render;

import java.util.Objects;

/** HTML (and XML) escaping, and the one type that marks markup as already safe to insert. */
public final class Html {

    private Html() {}

    /**
     * Markup that a template inserts as it is: rendered Markdown, or fragments built here from escaped parts.
     * Anything else given to a template is text and gets escaped.
     */
    public record Safe(String markup) {
        public Safe {
            Objects.requireNonNull(markup, "markup");
        }

        public static final Safe EMPTY = new Safe("");
    }

    /** Escapes the five characters that matter in HTML text and quoted attribute values, and in XML. */
    public static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
