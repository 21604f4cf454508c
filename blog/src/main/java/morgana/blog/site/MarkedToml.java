package morgana.blog.site;

import java.nio.file.Path;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Hugo's TOML front matter ({@code +++} fences) read with tomlj into the same shape as YAML: maps, lists,
 * strings, longs, doubles and booleans; TOML dates and times become their RFC 3339 text, as YAML's core schema
 * leaves them, so one date parser serves both.
 */
final class MarkedToml {

    private MarkedToml() {}

    static MarkedYaml parse(Path file, int firstLine, String text) throws SiteException {
        TomlParseResult result;
        try {
            result = Toml.parse(text);
        } catch (RuntimeException e) {
            // tomlj fails on some malformed values instead of reporting them (an offset date-time whose offset
            // does not parse throws NullPointerException): still the author's mistake, and still theirs to fix.
            throw new SiteException(file, firstLine, "invalid TOML: a value here cannot be read (" + e + ")");
        }
        if (result.hasErrors()) {
            TomlParseError error = result.errors().getFirst();
            throw new SiteException(file, error.position().line() - 1 + firstLine, "invalid TOML: " + error.getMessage());
        }
        var lines = new HashMap<String, Integer>();
        Object value = convert(result, "", firstLine, lines);
        return MarkedYaml.ofParsed(file, firstLine, value, lines);
    }

    private static Object convert(Object value, String prefix, int firstLine, Map<String, Integer> lines) {
        return switch (value) {
            case TomlTable table -> {
                var map = new LinkedHashMap<String, Object>();
                for (String key : table.keySet()) {
                    String path = prefix.isEmpty() ? key : prefix + "." + key;
                    var position = table.inputPositionOf(List.of(key));
                    if (position != null) {
                        lines.putIfAbsent(path, position.line() - 1 + firstLine);
                    }
                    map.put(key, convert(table.get(List.of(key)), path, firstLine, lines));
                }
                yield map;
            }
            case TomlArray array -> {
                var list = new ArrayList<Object>();
                for (int i = 0; i < array.size(); i++) {
                    list.add(convert(array.get(i), prefix + "." + i, firstLine, lines));
                }
                yield list;
            }
            case TemporalAccessor temporal -> temporal.toString();
            case null, default -> value;
        };
    }
}
