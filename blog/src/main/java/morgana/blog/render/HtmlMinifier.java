package morgana.blog.render;

import java.util.Locale;
import java.util.Set;

/**
 * Makes a generated page smaller without changing what a browser shows ({@code minify_html: true}): comments
 * go (not conditional ones, {@code <!--[if ...]>}), each run of whitespace in text becomes one space, and
 * whitespace beside a block-level tag, which renders as nothing, goes altogether. Tags are copied as they are
 * (attribute values may hold anything), and so is everything inside {@code <pre>}, {@code <textarea>},
 * {@code <script>} and {@code <style>}, where whitespace is content.
 */
public final class HtmlMinifier {

    private static final Set<String> VERBATIM = Set.of("pre", "textarea", "script", "style");
    private static final Set<String> BLOCKS = Set.of("!doctype", "html", "head", "body", "title", "meta", "link",
            "script", "style", "header", "footer", "main", "nav", "article", "section", "aside", "div", "p", "ul",
            "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot",
            "tr", "td", "th", "caption", "colgroup", "col", "blockquote", "figure", "figcaption", "hr", "br",
            "form", "fieldset", "legend", "details", "summary", "pre", "textarea", "address", "noscript",
            "picture", "source", "option", "select", "menu", "template", "svg");

    private HtmlMinifier() {}

    public static String minify(String html) {
        var out = new StringBuilder(html.length());
        String previousTag = "html";
        int i = 0;
        while (i < html.length()) {
            int lt = nextTagStart(html, i);
            int textEnd = lt < 0 ? html.length() : lt;
            if (textEnd > i) {
                String nextTag = lt < 0 ? "html" : tagName(html, lt);
                appendText(out, html, i, textEnd, BLOCKS.contains(previousTag) || BLOCKS.contains(nextTag));
            }
            if (lt < 0) {
                break;
            }
            if (html.startsWith("<!--", lt)) {
                int end = html.indexOf("-->", lt + 4);
                end = end < 0 ? html.length() : end + 3;
                if (html.startsWith("<!--[", lt)) {
                    out.append(html, lt, end);
                }
                i = end;
                continue;
            }
            int end = tagEnd(html, lt);
            out.append(html, lt, end);
            String name = tagName(html, lt);
            previousTag = name;
            i = end;
            if (VERBATIM.contains(name) && html.charAt(lt + 1) != '/') {
                int close = indexOfIgnoreCase(html, "</" + name, i);
                close = close < 0 ? html.length() : close;
                out.append(html, i, close);
                i = close;
            }
        }
        return out.toString();
    }

    /** The next {@code <} that opens a tag, a closing tag, a comment or a declaration; a lone {@code <} is text. */
    private static int nextTagStart(String html, int from) {
        for (int lt = html.indexOf('<', from); lt >= 0; lt = html.indexOf('<', lt + 1)) {
            char next = lt + 1 < html.length() ? html.charAt(lt + 1) : ' ';
            if (Character.isLetter(next) || next == '/' || next == '!') {
                return lt;
            }
        }
        return -1;
    }

    /** Text with each whitespace run as one space; a run that touches a block-level tag is dropped. */
    private static void appendText(StringBuilder out, String html, int from, int to, boolean besideBlock) {
        boolean blank = true;
        for (int k = from; k < to && blank; k++) {
            blank = isSpace(html.charAt(k));
        }
        if (blank && besideBlock) {
            return;
        }
        boolean inSpace = false;
        for (int k = from; k < to; k++) {
            char c = html.charAt(k);
            if (isSpace(c)) {
                if (!inSpace) {
                    out.append(' ');
                }
                inSpace = true;
            } else {
                out.append(c);
                inSpace = false;
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    }

    /** The end of the tag at {@code lt} (after its {@code >}), skipping quoted attribute values. */
    private static int tagEnd(String html, int lt) {
        char quote = 0;
        for (int k = lt + 1; k < html.length(); k++) {
            char c = html.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return k + 1;
            }
        }
        return html.length();
    }

    /** The lower-case name of the tag at {@code lt}, without a leading {@code /}: "p" for both {@code <p>} and {@code </p>}. */
    private static String tagName(String html, int lt) {
        int k = lt + 1;
        if (k < html.length() && html.charAt(k) == '/') {
            k++;
        }
        int start = k;
        while (k < html.length() && (Character.isLetterOrDigit(html.charAt(k)) || html.charAt(k) == '!' || html.charAt(k) == '-')) {
            k++;
        }
        return html.substring(start, k).toLowerCase(Locale.ROOT);
    }

    private static int indexOfIgnoreCase(String html, String what, int from) {
        for (int k = from; k <= html.length() - what.length(); k++) {
            if (html.regionMatches(true, k, what, 0, what.length())) {
                return k;
            }
        }
        return -1;
    }
}
