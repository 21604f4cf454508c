package morgana.blog.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Footnotes as GitHub, Hugo and kramdown write them: {@code text[^1]} and a definition line {@code [^1]: note}.
 * Done around the CommonMark parse rather than with commonmark-ext-footnotes, whose newest release on Central
 * (0.30) calls a method the core (0.32) no longer has. Definitions are blanked in place, so line numbers of
 * the rest stay right; references outside code become numbered links, and the notes are rendered after the
 * body as a list that links back.
 */
final class Footnotes {

    private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[\\^([^\\]\\s]+)]:[ \\t]?(.*)$");
    private static final Pattern REFERENCE = Pattern.compile("\\[\\^([^\\]\\s]+)](?!:)");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");

    /** The Markdown with references replaced and definitions blanked, and the notes by label, in order of use. */
    record Extracted(String markdown, Map<String, String> notes) {}

    private Footnotes() {}

    static boolean mayContainFootnotes(String markdown) {
        return markdown.contains("[^");
    }

    static Extracted extract(String markdown) {
        String[] lines = markdown.split("\n", -1);
        var definitions = new LinkedHashMap<String, String>();
        boolean inFence = false;
        for (int i = 0; i < lines.length; i++) {
            if (FENCE.matcher(lines[i]).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher definition = DEFINITION.matcher(lines[i]);
            if (!inFence && definition.matches()) {
                var text = new StringBuilder(definition.group(2));
                lines[i] = "";
                while (i + 1 < lines.length && lines[i + 1].startsWith("    ")) { // indented continuation
                    text.append('\n').append(lines[++i].substring(4));
                    lines[i] = "";
                }
                definitions.putIfAbsent(definition.group(1), text.toString());
            }
        }
        var used = new LinkedHashMap<String, String>();
        inFence = false;
        for (int i = 0; i < lines.length; i++) {
            if (FENCE.matcher(lines[i]).find()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence && lines[i].contains("[^")) {
                lines[i] = replaceReferences(lines[i], definitions, used);
            }
        }
        return new Extracted(String.join("\n", lines), used);
    }

    private static String replaceReferences(String line, Map<String, String> definitions, Map<String, String> used) {
        var out = new StringBuilder();
        List<int[]> code = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            code.add(new int[] {span.start(), span.end()});
        }
        Matcher reference = REFERENCE.matcher(line);
        int at = 0;
        while (reference.find()) {
            String label = reference.group(1);
            int start = reference.start();
            boolean inCode = code.stream().anyMatch(r -> start >= r[0] && start < r[1]);
            if (inCode || !definitions.containsKey(label)) {
                continue; // left as written: GitHub shows an undefined reference as text too
            }
            used.putIfAbsent(label, definitions.get(label));
            int number = new ArrayList<>(used.keySet()).indexOf(label) + 1;
            String id = Html.escape(anchor(label));
            out.append(line, at, start).append("<sup class=\"footnote-ref\"><a href=\"#fn-").append(id)
                    .append("\" id=\"fnref-").append(id).append("\">").append(number).append("</a></sup>");
            at = reference.end();
        }
        return out.append(line.substring(at)).toString();
    }

    /** The notes section, each note rendered as Markdown by {@code render}. */
    static String section(Map<String, String> notes, java.util.function.Function<String, String> render) {
        if (notes.isEmpty()) {
            return "";
        }
        var html = new StringBuilder("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
        notes.forEach((label, text) -> {
            String id = Html.escape(anchor(label));
            String body = render.apply(text).strip();
            if (body.startsWith("<p>") && body.endsWith("</p>") && body.indexOf("<p>", 1) < 0) {
                body = body.substring(3, body.length() - 4);
            }
            html.append("<li id=\"fn-").append(id).append("\">").append(body)
                    .append(" <a href=\"#fnref-").append(id).append("\" class=\"footnote-backref\" aria-label=\"Back to the text\">↩</a></li>\n");
        });
        return html.append("</ol>\n</section>\n").toString();
    }

    private static String anchor(String label) {
        return label.replaceAll("[^A-Za-z0-9_-]", "-");
    }
}
