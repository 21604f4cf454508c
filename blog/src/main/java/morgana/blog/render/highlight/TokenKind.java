package morgana.blog.render.highlight;

/** What a piece of source code is, and the CSS class the default theme colours it by. */
public enum TokenKind {
    KEYWORD("k"), TYPE("t"), STRING("s"), NUMBER("m"), COMMENT("c"), LITERAL("l"), ANNOTATION("a"),
    VARIABLE("v"), KEY("p"), PLAIN("");

    private final String cssClass;

    TokenKind(String cssClass) {
        this.cssClass = cssClass;
    }

    /** The class of the {@code <span>} around the token ({@code hl-k} ...), "" for plain text. */
    public String cssClass() {
        return cssClass.isEmpty() ? "" : "hl-" + cssClass;
    }
}
