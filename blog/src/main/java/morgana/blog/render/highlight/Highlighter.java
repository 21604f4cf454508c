package morgana.blog.render.highlight;

import morgana.blog.render.Html;

/** Source code to HTML: each token that is not plain text in a {@code <span class="hl-x">}, all escaped. */
public final class Highlighter {

    private Highlighter() {}

    /** The highlighted HTML of {@code code}, or the escaped code when there is no lexer for {@code language}. */
    public static String toHtml(String language, String code) {
        var lexer = Languages.forName(language);
        if (lexer.isEmpty()) {
            return Html.escape(code);
        }
        var out = new StringBuilder(code.length() * 2);
        for (Lexer.Token token : lexer.get().tokens(code)) {
            String cssClass = token.kind().cssClass();
            if (cssClass.isEmpty()) {
                out.append(Html.escape(token.text()));
            } else {
                out.append("<span class=\"").append(cssClass).append("\">").append(Html.escape(token.text())).append("</span>");
            }
        }
        return out.toString();
    }
}
