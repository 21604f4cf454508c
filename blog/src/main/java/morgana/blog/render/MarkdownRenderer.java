package morgana.blog.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.image.attributes.ImageAttributesExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * CommonMark plus GFM (tables, strikethrough, autolinks, task lists), footnotes ({@link Footnotes}), heading anchors, image
 * attributes ({@code ![a](x.png){width=320}}) and code highlighted at build time. Raw HTML in posts is kept:
 * the author is trusted, the reader's input never reaches this code. Also reports every link and image target
 * (for the link check; {@link #locateLinks} gives their lines), the table of contents, the summary before
 * {@code <!-- more -->} and the word count. Thread-safe: one instance serves every rendering thread.
 */
public final class MarkdownRenderer {

    private static final Pattern MORE = Pattern.compile("<!--\\s*more\\s*-->");

    /** {@link Character#isLetterOrDigit(char)} of the Latin-1 characters, looked up rather than asked for each. */
    private static final boolean[] LATIN1_LETTER_OR_DIGIT = new boolean[256];

    /**
     * The ids {@link #render} gave the headings of the document this thread is rendering, for {@link HeadingIds}:
     * commonmark makes that attribute provider for each render call and gives it no other way in.
     */
    private static final ThreadLocal<Map<Node, String>> HEADING_IDS = new ThreadLocal<>();

    private static final ThreadLocal<char[]> WORD_CHUNKS = ThreadLocal.withInitial(() -> new char[1024]);

    static {
        for (char c = 0; c < 256; c++) {
            LATIN1_LETTER_OR_DIGIT[c] = Character.isLetterOrDigit(c);
        }
    }

    /** A link or image target, and the file line it is written on. */
    public record LinkTarget(String destination, int line) {}

    /** A heading of the table of contents: level 2 to 4, its anchor id and its text. */
    public record TocEntry(int level, String id, String text) {}

    /**
     * @param html               the body as HTML
     * @param firstParagraphText the text of the first paragraph, markup removed ("" when there is none)
     * @param links              every link and image destination, in document order (their lines: {@link #locateLinks})
     * @param toc                the headings of levels 2 to 4, with their anchor ids
     * @param summaryHtml        the HTML before a {@code <!-- more -->} line, or "" when there is none
     * @param words              the number of words, for the reading time
     */
    public record Rendered(String html, String firstParagraphText, List<String> links, List<TocEntry> toc,
                           String summaryHtml, int words) {
        public Rendered {
            links = List.copyOf(links);
            toc = List.copyOf(toc);
        }
    }

    /**
     * Parses without source positions: keeping them is a tenth of the parsing time, and only a broken link needs
     * one, so {@link #locateLinks} parses that post again with them.
     */
    private final Parser parser;
    /**
     * The same parser without the autolink extension, which only adds a post-processor that looks for links in
     * every text node: for documents where it cannot find any (no {@code :}, {@code @} or {@code www.}), a tenth
     * of the parsing time saved.
     */
    private final Parser parserWithoutAutolinks;
    /** The same parser, noting where each block and inline comes from. */
    private final Parser locatingParser;
    private final HtmlRenderer renderer;
    private final boolean smartPunctuation;

    public MarkdownRenderer() {
        this(false);
    }

    /** @param smartPunctuation whether text gets curly quotes, dashes and ellipses ({@link SmartPunctuation}) */
    public MarkdownRenderer(boolean smartPunctuation) {
        this.smartPunctuation = smartPunctuation;
        List<Extension> extensions = List.of(TablesExtension.create(), StrikethroughExtension.create(),
                AutolinkExtension.create(), TaskListItemsExtension.create(),
                ImageAttributesExtension.create());
        this.parser = withSmartPunctuation(Parser.builder().extensions(extensions)).build();
        this.parserWithoutAutolinks = withSmartPunctuation(Parser.builder()
                .extensions(extensions.stream().filter(e -> !(e instanceof AutolinkExtension)).toList()))
                .build();
        this.locatingParser = Parser.builder()
                .extensions(extensions)
                .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
                .build();
        this.renderer = HtmlRenderer.builder()
                .extensions(extensions)
                .attributeProviderFactory(context -> new HeadingIds())
                .nodeRendererFactory(CodeBlockRenderer::new)
                .build();
    }

    /** Whether this renderer makes punctuation typographic. */
    public boolean smartPunctuation() {
        return smartPunctuation;
    }

    /** After the extensions' post-processors: an autolink's text is then a link's, which stays as written. */
    private Parser.Builder withSmartPunctuation(Parser.Builder builder) {
        return smartPunctuation ? builder.postProcessor(new SmartPunctuation()) : builder;
    }

    /** Renders {@code markdown}, whose first line is line {@code firstLine} of its file. */
    public Rendered render(String markdown, int firstLine) {
        Footnotes.Extracted footnotes = footnotes(markdown);
        Parser parser = mayContainAutolinks(markdown) ? this.parser : parserWithoutAutolinks;
        Node document = parser.parse(footnotes.markdown());
        var links = new ArrayList<String>();
        var toc = new ArrayList<TocEntry>();
        var firstParagraph = new StringBuilder();
        UniqueIds ids = new UniqueIds();
        var headingIds = new java.util.IdentityHashMap<Node, String>();
        document.accept(new LinkVisitor() {
            private boolean paragraphSeen;

            @Override
            void target(Node node, String destination) {
                links.add(destination);
            }

            @Override
            public void visit(Heading heading) {
                String text = plainText(heading);
                String id = ids.next(text);
                headingIds.put(heading, id);
                if (heading.getLevel() >= 2 && heading.getLevel() <= 4) {
                    toc.add(new TocEntry(heading.getLevel(), id, text));
                }
                visitChildren(heading);
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
        String html;
        String summary;
        HEADING_IDS.set(headingIds);
        try {
            // room for the page from the start: grown from commonmark's default, the builder was a tenth of
            // what a build allocates (the HTML of a post is about its Markdown's length and a quarter)
            var out = new StringBuilder(markdown.length() + markdown.length() / 4 + 64);
            renderer.render(document, out);
            html = out.toString();
            summary = summaryBeforeMore(document);
        } finally {
            HEADING_IDS.remove();
        }
        if (!footnotes.notes().isEmpty()) { // else the concatenation would copy the page for nothing
            html += Footnotes.section(footnotes.notes(), note -> renderer.render(parser.parse(note)));
        }
        return new Rendered(html, firstParagraph.toString().strip(), links, toc, summary, countWords(markdown));
    }

    /**
     * The link and image targets of {@code markdown}, whose first line is line {@code firstLine} of its file, with
     * their lines: the same targets in the same order as {@link #render} reports them, found by parsing again with
     * source positions.
     */
    public List<LinkTarget> locateLinks(String markdown, int firstLine) {
        var links = new ArrayList<LinkTarget>();
        locatingParser.parse(footnotes(markdown).markdown()).accept(new LinkVisitor() {
            @Override
            void target(Node node, String destination) {
                links.add(new LinkTarget(destination, lineOf(node, firstLine)));
            }
        });
        return links;
    }

    /** {@code markdown} with its footnote definitions taken out, as {@link #render} and {@link #locateLinks} parse it. */
    private static Footnotes.Extracted footnotes(String markdown) {
        return Footnotes.mayContainFootnotes(markdown)
                ? Footnotes.extract(markdown)
                : new Footnotes.Extracted(markdown, java.util.Map.of());
    }

    /**
     * Visits each link and image target of a document, in document order: one traversal for {@link #render} and
     * {@link #locateLinks}, which must report the same targets in the same order (the link check pairs them).
     */
    private abstract static class LinkVisitor extends AbstractVisitor {

        abstract void target(Node node, String destination);

        @Override
        public void visit(Link link) {
            target(link, link.getDestination());
            visitChildren(link);
        }

        @Override
        public void visit(Image image) {
            target(image, image.getDestination());
            visitChildren(image);
        }
    }

    /** The blocks before a {@code <!-- more -->} line, rendered on their own ("" when there is no such line). */
    private String summaryBeforeMore(Node document) {
        Node marker = null;
        for (Node block = document.getFirstChild(); block != null && marker == null; block = block.getNext()) {
            if (block instanceof HtmlBlock html && MORE.matcher(html.getLiteral()).find()) {
                marker = block;
            }
        }
        if (marker == null) {
            return "";
        }
        var summary = new StringBuilder();
        for (Node block = document.getFirstChild(); block != marker; block = block.getNext()) {
            renderer.render(block, summary);
        }
        return summary.toString();
    }

    /**
     * Whether the autolink extension could find a link in {@code markdown}: a URL has a scheme and its colon, an
     * e-mail address its {@code @}, and a bare www link starts with {@code www.} in any case.
     */
    static boolean mayContainAutolinks(String markdown) {
        if (markdown.indexOf(':') >= 0 || markdown.indexOf('@') >= 0) {
            return true;
        }
        for (int dot = markdown.indexOf('.', 3); dot >= 0; dot = markdown.indexOf('.', dot + 1)) {
            if (markdown.regionMatches(true, dot - 3, "www", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    /** Runs of letters and digits (with inner apostrophes and hyphens); a loop, as a regex class union is slow here. */
    static int countWords(String markdown) {
        int words = 0;
        boolean inWord = false;
        char[] chunk = WORD_CHUNKS.get();
        for (int from = 0; from < markdown.length(); from += chunk.length) {
            int length = Math.min(chunk.length, markdown.length() - from);
            markdown.getChars(from, from + length, chunk, 0); // a chunk at a time: the post is not copied whole
            for (int i = 0; i < length; i++) {
                char c = chunk[i];
                if (c < 256 ? LATIN1_LETTER_OR_DIGIT[c] : Character.isLetterOrDigit(c)) {
                    if (!inWord) {
                        words++;
                        inWord = true;
                    }
                } else if (!(inWord && (c == '\'' || c == '’' || c == '-'))) {
                    inWord = false;
                }
            }
        }
        return words;
    }

    private static int lineOf(Node node, int firstLine) {
        var spans = node.getSourceSpans();
        return spans.isEmpty() ? firstLine : firstLine + spans.getFirst().getLineIndex();
    }

    static String plainText(Node node) {
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

    /**
     * Gives each heading an {@code id} from its text (GitHub's rule: lower case, spaces to dashes, a
     * {@code -1} suffix on repeats), so links to {@code #section} stay stable while the text does. A post's
     * headings get the ids its table of contents was given ({@link #HEADING_IDS}), on its page and in its summary
     * alike; other documents (a footnote) get their own, one instance per rendered document.
     */
    private static final class HeadingIds implements AttributeProvider {

        private final Map<Node, String> given = HEADING_IDS.get();
        private final UniqueIds ids = new UniqueIds();

        @Override
        public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
            if (node instanceof Heading heading) {
                String id = given == null ? null : given.get(heading);
                attributes.put("id", id != null ? id : ids.next(plainText(heading)));
            }
        }
    }

    /**
     * Heading ids as commonmark's {@code IdGenerator} makes them (GitHub's rule: lower case, spaces to dashes, only
     * word characters, {@code -} and {@code _} kept, "section" when nothing is left, {@code -1}, {@code -2} on
     * repeats of the same text), made unique across the document: a heading whose own text slugs to {@code a-1}
     * would get the id of a repeated {@code a} too (found by MarkdownFuzzTest); such a one gets the next free
     * number. The rule is applied here with one pattern for every document: an {@code IdGenerator} compiles its
     * own, and two were made for every post.
     */
    static final class UniqueIds {
        private static final Pattern ALLOWED = Pattern.compile("[\\w\\-_]+", Pattern.UNICODE_CHARACTER_CLASS);

        private final java.util.Map<String, Integer> repeats = new java.util.HashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        String next(String text) {
            String id = numbered(normalized(text));
            String candidate = id;
            for (int n = 1; !used.add(candidate); n++) {
                candidate = id + "-" + n;
            }
            return candidate;
        }

        /** The id, numbered when the same text came before: {@code IdGenerator.generateId}. */
        private String numbered(String normalized) {
            String identity = normalized.isEmpty() ? "section" : normalized;
            Integer before = repeats.put(identity, repeats.getOrDefault(identity, 0) + 1);
            return before == null ? identity : identity + "-" + before;
        }

        /**
         * {@code IdGenerator}'s normalisation, lower case in the default locale as there. Text that is ASCII once
         * in lower case is filtered by a loop: of ASCII, the pattern keeps letters, digits, {@code _} and
         * {@code -}.
         */
        static String normalized(String text) {
            String lower = text.toLowerCase().replace(' ', '-');
            var kept = new StringBuilder(lower.length());
            for (int i = 0; i < lower.length(); i++) {
                char c = lower.charAt(i);
                if (c >= 128) {
                    return normalizedByPattern(lower);
                }
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || (c >= 'A' && c <= 'Z')) {
                    kept.append(c);
                }
            }
            return kept.toString();
        }

        private static String normalizedByPattern(String lower) {
            var kept = new StringBuilder();
            var matcher = ALLOWED.matcher(lower);
            while (matcher.find()) {
                kept.append(matcher.group());
            }
            return kept.toString();
        }
    }
}
