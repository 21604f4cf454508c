package morgana.blog.site;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML 1.2 document (core schema) that remembers on which line of its file each key was written, so that
 * a wrong value can be reported as {@code file:line: problem}. The document may start part-way into the
 * file (front matter starts on line 2).
 */
final class MarkedYaml {

    /**
     * One for every document: building settings costs more than parsing a post's front matter. Errors name the
     * file through {@link SiteException}, not through the settings' label.
     */
    private static final LoadSettings SETTINGS = LoadSettings.builder().build();

    private final Path file;
    private final int firstLine;
    private final Object value;
    private final Map<String, Integer> keyLines;

    private MarkedYaml(Path file, int firstLine, Object value, Map<String, Integer> keyLines) {
        this.file = file;
        this.firstLine = firstLine;
        this.value = value;
        this.keyLines = keyLines;
    }

    /**
     * Parses {@code text}, whose first line is line {@code firstLine} (1-based) of {@code file}: front matter of
     * the common flat shape through {@link FlatYaml}, anything else through snakeyaml-engine.
     *
     * @throws SiteException on a YAML syntax error, with the file line of the problem
     */
    static MarkedYaml parse(Path file, int firstLine, String text) throws SiteException {
        FlatYaml.Parsed flat = FlatYaml.parse(text, firstLine);
        return flat != null
                ? new MarkedYaml(file, firstLine, flat.value(), Map.copyOf(flat.keyLines()))
                : parseWithYamlParser(file, firstLine, text);
    }

    /** {@link #parse} by snakeyaml-engine alone, whatever the shape of the document. */
    static MarkedYaml parseWithYamlParser(Path file, int firstLine, String text) throws SiteException {
        try {
            Optional<Node> root = new Compose(SETTINGS).composeString(text);
            var lines = new HashMap<String, Integer>();
            if (root.isPresent()) {
                recordKeyLines(file, root.get(), "", firstLine, lines, Collections.newSetFromMap(new IdentityHashMap<>()),
                        Collections.newSetFromMap(new IdentityHashMap<>()));
            }
            Object value = root.isPresent() ? new StandardConstructor(SETTINGS).constructSingleDocument(root) : null;
            return new MarkedYaml(file, firstLine, value, Map.copyOf(lines));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).orElse(0) + firstLine;
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            throw new SiteException(file, line, "invalid YAML: " + context + e.getProblem(), e);
        } catch (YamlEngineException e) {
            throw new SiteException(file, firstLine, "invalid YAML: " + e.getMessage(), e);
        }
    }

    /**
     * A document of another syntax (TOML front matter) already turned into maps, lists and scalars, with the
     * file line of each dotted key, so that it is validated and reported exactly like YAML.
     */
    static MarkedYaml ofParsed(Path file, int firstLine, Object value, Map<String, Integer> keyLines) {
        return new MarkedYaml(file, firstLine, value, Map.copyOf(keyLines));
    }

    /**
     * Records the line of every key; {@code enclosing} holds the collections on the path from the root, so
     * that a recursive alias ({@code a: &a [*a]}) is refused at its line instead of recursing without end.
     * A collection reached again through an alias is not walked again ({@code walked}): its keys have their
     * lines under the anchor's path, and walking every path through nested aliases (a "billion laughs" of
     * anchors each listing the one before five times) would take exponential time.
     */
    private static void recordKeyLines(Path file, Node node, String prefix, int firstLine, Map<String, Integer> lines,
                                       Set<Node> enclosing, Set<Node> walked) throws SiteException {
        if (!(node instanceof MappingNode) && !(node instanceof SequenceNode)) {
            return;
        }
        if (walked.contains(node)) {
            return;
        }
        if (!enclosing.add(node)) {
            int line = node.getStartMark().map(Mark::getLine).orElse(0) + firstLine;
            throw new SiteException(file, lines.getOrDefault(prefix, line), "invalid YAML: "
                    + (prefix.isEmpty() ? "the document" : prefix) + " contains itself through an alias");
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    String path = prefix.isEmpty() ? key.getValue() : prefix + "." + key.getValue();
                    key.getStartMark().ifPresent(mark -> lines.putIfAbsent(path, mark.getLine() + firstLine));
                    recordKeyLines(file, tuple.getValueNode(), path, firstLine, lines, enclosing, walked);
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                String path = prefix + "." + i;
                items.get(i).getStartMark().ifPresent(mark -> lines.putIfAbsent(path, mark.getLine() + firstLine));
                recordKeyLines(file, items.get(i), path, firstLine, lines, enclosing, walked);
            }
        }
        enclosing.remove(node);
        walked.add(node);
    }

    Path file() {
        return file;
    }

    /** The document as the YAML parser constructs it (maps, lists, scalars), or null when it is empty. */
    Object value() {
        return value;
    }

    /** The file line of each key, by dotted path. */
    Map<String, Integer> keyLines() {
        return keyLines;
    }

    /** The file line (1-based) where a key, given as a dotted path such as {@code image.memory}, is written. */
    int lineOf(String dottedKey) {
        return keyLines.getOrDefault(dottedKey, firstLine);
    }

    boolean hasLineFor(String dottedKey) {
        return keyLines.containsKey(dottedKey);
    }

    SiteException error(String dottedKey, String problem) {
        return new SiteException(file, lineOf(dottedKey), problem);
    }

    /** The document as a mapping with string keys, in document order; empty when the document is empty. */
    Map<String, Object> mapping(String expected) throws SiteException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new SiteException(file, firstLine, "expected a mapping of " + expected + ", found " + describe(value));
        }
        var result = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    Optional<String> optionalString(Map<String, Object> map, String key) throws SiteException {
        Object v = map.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw error(key, key + " must be a string, found " + describe(v) + " (quote it: " + key + ": \"" + v + "\")");
        }
        return Optional.of(s);
    }

    String requiredString(Map<String, Object> map, String key, String example) throws SiteException {
        Optional<String> s = optionalString(map, key);
        if (s.isEmpty() || s.get().isBlank()) {
            int line = map.containsKey(key) ? lineOf(key) : firstLine;
            throw new SiteException(file, line, key + " is required (e.g. " + key + ": " + example + ")");
        }
        return s.get().strip();
    }

    static String describe(Object v) {
        return switch (v) {
            case null -> "nothing";
            case String s -> "the string \"" + s + "\"";
            case Boolean b -> "the boolean " + b;
            case Number n -> "the number " + n;
            case Map<?, ?> m -> "a mapping";
            case List<?> l -> "a list";
            default -> "a " + v.getClass().getSimpleName();
        };
    }
}
