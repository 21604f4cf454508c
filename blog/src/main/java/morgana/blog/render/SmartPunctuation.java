package morgana.blog.render;

import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Block;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.PostProcessor;

/**
 * Smart punctuation, for a site that asks for it ({@code smart_punctuation: true}), as Hugo's typographer and
 * kramdown's smart quotes do it: straight quotes become curly ones ({@code "a"} “a”, {@code 'a'} ‘a’), an apostrophe
 * ’ ({@code don't}, {@code '90s}), {@code --} an en dash, {@code ---} an em dash and {@code ...} an ellipsis.
 *
 * <p>Only text changes: code spans and blocks, raw HTML, link destinations and the text of a bare URL made into a
 * link keep what the author wrote. Whether a quote opens or closes depends on the character before it (the
 * start of a paragraph, heading or cell and a line break count as a space), and in a paragraph that character
 * may be in the text before an emphasis or a link: {@code "*quoted*"} gets both of its quotes right.
 */
final class SmartPunctuation implements PostProcessor {

    @Override
    public Node process(Node document) {
        document.accept(new AbstractVisitor() {
            /** The source character before the text being changed, in its block. */
            private char previous = ' ';

            @Override
            protected void visitChildren(Node parent) {
                if (parent instanceof Block || parent instanceof TableCell) {
                    previous = ' ';
                }
                super.visitChildren(parent);
            }

            @Override
            public void visit(Text text) {
                String literal = text.getLiteral();
                if (!literal.isEmpty()) {
                    // what follows in the block: an emphasis, a link or code starts with a non-space
                    Node following = text.getNext();
                    char after = following == null || following instanceof SoftLineBreak
                            || following instanceof HardLineBreak ? ' ' : 'a';
                    text.setLiteral(smarten(literal, previous, after));
                    previous = literal.charAt(literal.length() - 1);
                }
            }

            @Override
            public void visit(Code code) {
                if (!code.getLiteral().isEmpty()) {
                    previous = code.getLiteral().charAt(code.getLiteral().length() - 1);
                }
            }

            @Override
            public void visit(SoftLineBreak lineBreak) {
                previous = ' ';
            }

            @Override
            public void visit(HardLineBreak lineBreak) {
                previous = ' ';
            }

            @Override
            public void visit(Link link) {
                if (link.getFirstChild() instanceof Text text && text.getNext() == null
                        && link.getDestination().endsWith(text.getLiteral()) && !text.getLiteral().isEmpty()) {
                    // a bare URL or address made into a link: shown as written
                    previous = text.getLiteral().charAt(text.getLiteral().length() - 1);
                    return;
                }
                visitChildren(link);
            }
        });
        return document;
    }

    /**
     * {@code text} with its punctuation made typographic; {@code before} and {@code after} stand for the characters
     * around it ({@code ' '} for none).
     */
    static String smarten(String text, char before, char after) {
        if (!mayChange(text)) {
            return text;
        }
        var out = new StringBuilder(text.length());
        char prev = before;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : after;
            if (c == '-' && next == '-') {
                boolean em = i + 2 < text.length() && text.charAt(i + 2) == '-';
                out.append(em ? '—' : '–');
                i += em ? 2 : 1;
                prev = '-';
                continue;
            }
            if (c == '.' && next == '.' && i + 2 < text.length() && text.charAt(i + 2) == '.') {
                out.append('…');
                i += 2;
                prev = '.';
                continue;
            }
            if (c == '"') {
                out.append(opens(prev, next) ? '“' : '”');
            } else if (c == '\'') {
                boolean apostrophe = Character.isLetterOrDigit(prev) || Character.isDigit(next);
                out.append(!apostrophe && opens(prev, next) ? '‘' : '’');
            } else {
                out.append(c);
            }
            prev = c;
        }
        return out.toString();
    }

    /** A quote opens after a space or an opening bracket, quote or dash, and before something that is not a space. */
    private static boolean opens(char previous, char next) {
        boolean afterBoundary = Character.isWhitespace(previous) || "([{“‘-–—/".indexOf(previous) >= 0;
        return afterBoundary && !Character.isWhitespace(next);
    }

    private static boolean mayChange(String text) {
        return text.indexOf('"') >= 0 || text.indexOf('\'') >= 0 || text.contains("--") || text.contains("...");
    }
}
