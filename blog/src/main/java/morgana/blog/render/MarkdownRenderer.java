package morgana.blog.render;

import java.util.ArrayList;
import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * CommonMark plus GFM tables to HTML. Raw HTML in posts is kept: the author is trusted, the reader's input
 * never reaches this code. Also reports every link and image target with its line, for the link check.
 */
public final class MarkdownRenderer {

    /** A link or image target, and the file line it is written on. */
    public record LinkTarget(String destination, int line) {}

    /**
     * @param html               the body as HTML
     * @param firstParagraphText the text of the first paragraph, markup removed ("" when there is none)
     * @param links              every link and image destination, in document order
     */
    public record Rendered(String html, String firstParagraphText, List<LinkTarget> links) {
        public Rendered {
            links = List.copyOf(links);
        }
    }

    private final Parser parser;
    private final HtmlRenderer renderer;

    public MarkdownRenderer() {
        List<Extension> extensions = List.of(TablesExtension.create());
        this.parser = Parser.builder()
                .extensions(extensions)
                .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
                .build();
        this.renderer = HtmlRenderer.builder().extensions(extensions).build();
    }

    /** Renders {@code markdown}, whose first line is line {@code firstLine} of its file. */
    public Rendered render(String markdown, int firstLine) {
        Node document = parser.parse(markdown);
        var links = new ArrayList<LinkTarget>();
        var firstParagraph = new StringBuilder();
        document.accept(new AbstractVisitor() {
            private boolean paragraphSeen;

            @Override
            public void visit(Link link) {
                links.add(new LinkTarget(link.getDestination(), lineOf(link, firstLine)));
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                links.add(new LinkTarget(image.getDestination(), lineOf(image, firstLine)));
                visitChildren(image);
            }

            @Override
            public void visit(Paragraph paragraph) {
                if (!paragraphSeen) {
                    paragraphSeen = true;
                    firstParagraph.append(plainText(paragraph));
                }
                visitChildren(paragraph);
            }
        });
        return new Rendered(renderer.render(document), firstParagraph.toString().strip(), links);
    }

    private static int lineOf(Node node, int firstLine) {
        var spans = node.getSourceSpans();
        return spans.isEmpty() ? firstLine : firstLine + spans.getFirst().getLineIndex();
    }

    private static String plainText(Node node) {
        var text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code code) {
                text.append(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak softLineBreak) {
                text.append(' ');
            }

            @Override
            public void visit(HardLineBreak hardLineBreak) {
                text.append(' ');
            }
        });
        return text.toString();
    }
}
