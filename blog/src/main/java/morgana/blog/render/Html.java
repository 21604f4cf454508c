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

    /**
     * Escapes the five characters that matter in HTML text and quoted attribute values, and in XML: what Pebble's
     * own html strategy (unbescape's {@code escapeHtml4Xml}) gives, and what templates escape with. Text without
     * any of them, most of what a page prints, is returned as it is after one look at each character.
     */
    public static String escape(String text) {
        int first = 0;
        while (first < text.length() && !isSignificant(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        var out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
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

    private static boolean isSignificant(char c) {
        return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'';
    }
}
