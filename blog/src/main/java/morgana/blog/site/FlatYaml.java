package morgana.blog.site;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape most front matter has, read without a YAML parser: one {@code key: value} per line, each value a
 * quoted string without escapes, a word or phrase, a date, or a flow list of these:
 * <pre>
 *   title: "Post number 7 about sockets"
 *   date: 2026-03-14T09:30:00Z
 *   tags: [tcp, http]
 *   layout: post
 * </pre>
 * Anything else (numbers, booleans, nulls, block lists, nesting, comments, escapes, anchors, a repeated key,
 * white space at the end of a line) is not this shape, and {@link #parse} answers null so that the caller asks
 * the YAML parser. What it does answer is what snakeyaml-engine's JSON schema gives for the same text, with the
 * same key lines ({@code FlatYamlTest} compares them). A YAML parser costs 35 microseconds a post for this;
 * the loop below costs a few.
 */
final class FlatYaml {

    /** The document and the file line of each key ({@code tags.0} for list items), as {@link MarkedYaml} keeps them. */
    record Parsed(Map<String, Object> value, Map<String, Integer> keyLines) {}

    // The shapes below are read by loops rather than regexes (each line of every post's front matter passes here):
    //   key     [A-Za-z_][A-Za-z0-9_-]*
    //   phrase  [A-Za-z][A-Za-z0-9 _./-]*   words and phrases no schema reads as anything but a string
    //   date    \d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?( ?(Z|[+-]\d{2}(:?\d{2})?))?)?
    //           dates and times as front matter writes them: strings to YAML's JSON schema, parsed later by PostDate
    private static final Set<String> RESERVED = Set.of("true", "false", "null");

    private FlatYaml() {}

    /** {@code text}, whose first line is line {@code firstLine} of its file; null when it is not of this shape. */
    static Parsed parse(String text, int firstLine) {
        var value = new LinkedHashMap<String, Object>();
        var keyLines = new HashMap<String, Integer>();
        int lineNumber = firstLine;
        for (int start = 0; start < text.length(); lineNumber++) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            String line = text.substring(start, end);
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0 || !isKey(line, colon)) {
                return null;
            }
            String key = line.substring(0, colon);
            if (RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
                return null; // a key YAML reads as a boolean or null
            }
            String raw = line.substring(colon + 2);
            Object parsed = raw.startsWith("[") && raw.endsWith("]") ? list(raw.substring(1, raw.length() - 1)) : scalar(raw);
            if (parsed == null || value.containsKey(key)) {
                return null;
            }
            value.put(key, parsed);
            keyLines.put(key, lineNumber);
            if (parsed instanceof List<?> items) {
                for (int i = 0; i < items.size(); i++) {
                    keyLines.put(key + "." + i, lineNumber);
                }
            }
        }
        return value.isEmpty() ? null : new Parsed(value, keyLines);
    }

    /** The items of a flow list ({@code a, b} between its brackets); null when one is not a plain string. */
    private static List<String> list(String items) {
        var list = new ArrayList<String>();
        for (int start = 0; start < items.length(); ) {
            int comma = items.indexOf(',', start);
            int end = comma < 0 ? items.length() : comma;
            String s = scalar(items.substring(start, end));
            if (s == null || (comma >= 0 && !items.startsWith(", ", comma))) {
                return null;
            }
            list.add(s);
            start = comma < 0 ? items.length() : comma + 2;
            if (comma >= 0 && start >= items.length()) {
                return null; // a comma at the end
            }
        }
        return list;
    }

    /** A quoted string without escapes, a phrase or a date; null for anything else. */
    private static String scalar(String raw) {
        if (raw.length() >= 2 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            char quote = raw.charAt(0);
            String inside = raw.substring(1, raw.length() - 1);
            return raw.charAt(raw.length() - 1) == quote && inside.indexOf(quote) < 0 && inside.indexOf('\\') < 0
                    && allPlainPrintable(inside) ? inside : null;
        }
        boolean phrase = isPhrase(raw) && !raw.endsWith(" ") && !raw.contains("  ")
                && !RESERVED.contains(raw.toLowerCase(Locale.ROOT));
        return phrase || isDate(raw) ? raw : null;
    }

    private static boolean isKey(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!(isAsciiLetter(c) || c == '_' || (i > 0 && (isDigit(c) || c == '-')))) {
                return false;
            }
        }
        return end > 0;
    }

    private static boolean isPhrase(String raw) {
        if (raw.isEmpty() || !isAsciiLetter(raw.charAt(0))) {
            return false;
        }
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == ' ' || c == '_' || c == '.' || c == '/' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The date shape above, read left to right: each optional part is taken when it starts, or the text ends. */
    private static boolean isDate(String raw) {
        int n = raw.length();
        if (!(digits(raw, 0, 4) && at(raw, 4, '-') && digits(raw, 5, 2) && at(raw, 7, '-') && digits(raw, 8, 2))) {
            return false;
        }
        int i = 10;
        if (i == n) {
            return true;
        }
        char t = raw.charAt(i);
        if (!((t == 'T' || t == 't' || t == ' ') && digits(raw, i + 1, 2) && at(raw, i + 3, ':') && digits(raw, i + 4, 2))) {
            return false;
        }
        i += 6;
        if (at(raw, i, ':') && digits(raw, i + 1, 2)) {
            i += 3;
            if (at(raw, i, '.') && i + 1 < n && isDigit(raw.charAt(i + 1))) {
                int fraction = i + 1;
                while (fraction < n && isDigit(raw.charAt(fraction)) && fraction - i <= 9) {
                    fraction++;
                }
                i = fraction;
            }
        }
        if (i == n) {
            return true;
        }
        if (at(raw, i, ' ')) {
            i++;
        }
        if (at(raw, i, 'Z')) {
            return i + 1 == n;
        }
        if (!((at(raw, i, '+') || at(raw, i, '-')) && digits(raw, i + 1, 2))) {
            return false;
        }
        i += 3;
        if (i == n) {
            return true;
        }
        if (at(raw, i, ':')) {
            i++;
        }
        return digits(raw, i, 2) && i + 2 == n;
    }

    private static boolean digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean at(String s, int index, char c) {
        return index < s.length() && s.charAt(index) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean allPlainPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!plainPrintable(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * YAML's printable characters (YAML 1.2 §5.1) but tab, NEL, the Unicode line and paragraph separators and the
     * byte order mark, which parsers treat apart; surrogates come in pairs from a decoded file.
     */
    private static boolean plainPrintable(int c) {
        return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xFFFD && c != 0x2028 && c != 0x2029 && c != 0xFEFF);
    }
}
