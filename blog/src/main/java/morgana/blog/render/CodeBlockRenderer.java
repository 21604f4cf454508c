package morgana.blog.render;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import morgana.blog.render.highlight.Highlighter;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Fenced code blocks highlighted at build time (no script on the page): {@code <pre><code class="language-x">}
 * with {@code <span class="hl-k">} tokens when Morgana has a lexer for the fence's language, escaped text
 * otherwise.
 */
final class CodeBlockRenderer implements NodeRenderer {

    /** Where the language word of a fence's info string ends: {@code java {.numbered}}, {@code java title=x}. */
    private static final Pattern LANGUAGE_END = Pattern.compile("[\\s{]");

    private final HtmlNodeRendererContext context;

    CodeBlockRenderer(HtmlNodeRendererContext context) {
        this.context = context;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
        return Set.of(FencedCodeBlock.class);
    }

    @Override
    public void render(Node node) {
        FencedCodeBlock block = (FencedCodeBlock) node;
        String info = block.getInfo() == null ? "" : block.getInfo().strip();
        String language = info.isEmpty() ? "" : LANGUAGE_END.split(info, 2)[0];
        HtmlWriter html = context.getWriter();
        html.line();
        html.tag("pre", context.extendAttributes(block, "pre", Map.of()));
        Map<String, String> codeAttributes = language.isEmpty() ? Map.of() : Map.of("class", "language-" + language);
        html.tag("code", context.extendAttributes(block, "code", codeAttributes));
        html.raw(Highlighter.toHtml(language, block.getLiteral()));
        html.tag("/code");
        html.tag("/pre");
        html.line();
    }
}
