package morgana.blog.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jekyll/Octopress posts carry Liquid tags that Markdown does not know. They degrade here, line by line (so
 * link lines stay right), with a warning for what is not rendered as Jekyll would:
 * <ul>
 *   <li>{@code {% highlight lang %}} ... {@code {% endhighlight %}} becomes a fenced code block, highlighted;
 *       options such as {@code linenos} are dropped with a warning</li>
 *   <li>{@code {% raw %}} and {@code {% endraw %}} are removed and what is between is kept verbatim</li>
 *   <li>any other tag, and {@code {{ output }}}, is shown as written, with a warning</li>
 * </ul>
 */
public final class LiquidTags {

    /** A problem at a line of the file (1-based). */
    public record Warning(int line, String message) {}

    /** The Markdown to render, and what could not be rendered faithfully. */
    public record Result(String markdown, List<Warning> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private static final Pattern HIGHLIGHT = Pattern.compile("^\\s*\\{%-?\\s*highlight\\s+([\\w+#.-]+)\\s*([^%]*?)\\s*-?%}\\s*$");
    private static final Pattern END_HIGHLIGHT = Pattern.compile("^\\s*\\{%-?\\s*endhighlight\\s*-?%}\\s*$");
    private static final Pattern RAW = Pattern.compile("\\{%-?\\s*(end)?raw\\s*-?%}");
    private static final Pattern TAG = Pattern.compile("\\{%-?\\s*(\\w+)[^%]*%}|\\{\\{[^}]*}}");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");

    private LiquidTags() {}

    /** Whether {@code markdown} has anything Liquid-like at all (most Morgana posts do not: skip the work). */
    public static boolean mayContainLiquid(String markdown) {
        return markdown.contains("{%") || markdown.contains("{{");
    }

    public static Result degrade(String markdown, int firstLine) {
        String[] lines = markdown.split("\n", -1);
        var warnings = new ArrayList<Warning>();
        boolean inRaw = false;
        boolean inFence = false;
        for (int i = 0; i < lines.length; i++) {
            int line = firstLine + i;
            Matcher highlight = HIGHLIGHT.matcher(lines[i]);
            if (!inRaw && highlight.matches()) {
                if (!highlight.group(2).isBlank()) {
                    warnings.add(new Warning(line, "{% highlight " + highlight.group(1) + " " + highlight.group(2)
                            + " %}: the options \"" + highlight.group(2) + "\" are ignored"));
                }
                lines[i] = "```" + highlight.group(1);
                inFence = true;
                continue;
            }
            if (!inRaw && END_HIGHLIGHT.matcher(lines[i]).matches()) {
                lines[i] = "```";
                inFence = false;
                continue;
            }
            if (!inRaw && FENCE.matcher(lines[i]).find()) {
                inFence = !inFence;
            }
            var out = new StringBuilder();
            Matcher raw = RAW.matcher(lines[i]);
            int at = 0;
            while (raw.find()) {
                String between = lines[i].substring(at, raw.start());
                out.append(between);
                if (!inRaw && !inFence) {
                    warnUnknown(between, line, warnings);
                }
                if (raw.group(1) == null) {
                    warnings.add(new Warning(line, "{% raw %}: the text up to {% endraw %} is shown verbatim"));
                }
                inRaw = raw.group(1) == null;
                at = raw.end();
            }
            String rest = lines[i].substring(at);
            out.append(rest);
            if (!inRaw && !inFence) {
                warnUnknown(rest, line, warnings);
            }
            lines[i] = out.toString();
        }
        return new Result(String.join("\n", lines), warnings);
    }

    private static void warnUnknown(String text, int line, List<Warning> warnings) {
        Matcher tag = TAG.matcher(text);
        while (tag.find()) {
            warnings.add(new Warning(line, "the Liquid " + (tag.group(1) == null ? "output " : "tag ") + tag.group()
                    + " is not supported and is shown as written"));
        }
    }
}
