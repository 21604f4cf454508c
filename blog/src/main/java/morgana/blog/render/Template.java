package morgana.blog.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A text with {@code {{name}}} placeholders, and nothing else: no logic, no loops (lists are built in Java
 * from a template per item). Every value is HTML-escaped unless it is an {@link Html.Safe}; a placeholder
 * without a value is an error, so a typo cannot silently render as nothing.
 */
public final class Template {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private sealed interface Part {}

    private record Literal(String text) implements Part {}

    private record Placeholder(String name) implements Part {}

    private final String name;
    private final List<Part> parts;

    private Template(String name, List<Part> parts) {
        this.name = name;
        this.parts = List.copyOf(parts);
    }

    /** Compiles {@code text}; {@code name} appears in errors. */
    public static Template of(String name, String text) {
        var parts = new ArrayList<Part>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Literal(text.substring(at)));
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException(name + ": \"{{\" at offset " + open + " is never closed");
            }
            String placeholder = text.substring(open + 2, close).strip();
            if (!NAME.matcher(placeholder).matches()) {
                throw new IllegalArgumentException(name + ": bad placeholder {{" + placeholder + "}}");
            }
            if (open > at) {
                parts.add(new Literal(text.substring(at, open)));
            }
            parts.add(new Placeholder(placeholder));
            at = close + 2;
        }
        return new Template(name, parts);
    }

    /** Loads a template that ships in this package's resources, e.g. {@code layout.html}. */
    public static Template resource(String fileName) {
        try (InputStream in = Template.class.getResourceAsStream(fileName)) {
            if (in == null) {
                throw new IllegalStateException("template resource missing: " + fileName);
            }
            return of(fileName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills every placeholder: strings are escaped, {@link Html.Safe} is inserted as it is. */
    public String render(Map<String, ?> values) {
        var out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case Placeholder placeholder -> {
                    Object value = values.get(placeholder.name());
                    switch (value) {
                        case null -> throw new IllegalArgumentException(
                                name + ": no value for {{" + placeholder.name() + "}}");
                        case Html.Safe safe -> out.append(safe.markup());
                        default -> out.append(Html.escape(value.toString()));
                    }
                }
            }
        }
        return out.toString();
    }
}
