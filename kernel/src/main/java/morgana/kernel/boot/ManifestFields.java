package morgana.kernel.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;

/** Looks a manifest's keys up, turning a missing, forbidden or malformed one into an error that names it. */
record ManifestFields(Properties properties, String source) {

    String required(String key, String expected) {
        return parse(key, expected, Function.identity());
    }

    <T> T parse(String key, String expected, Function<String, T> parser) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new BootManifestException(source, key, "missing; expected " + expected, null);
        }
        return apply(key, value, expected, parser);
    }

    /** A comma-separated list that may be empty (the key must still be there). */
    <T> List<T> list(String key, String expected, Function<String, T> parser) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new BootManifestException(source, key, "missing; expected " + expected, null);
        }
        return apply(key, value, expected, text -> split(text).stream().map(parser).toList());
    }

    <T> Optional<T> optional(String key, String expected, Function<String, T> parser) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(apply(key, value, expected, parser));
    }

    void forbid(String key, String why) {
        if (properties.getProperty(key) != null) {
            throw new BootManifestException(source, key, "not allowed here: " + why, null);
        }
    }

    /** Builds a value checked across several keys; its complaint is charged to all of them. */
    <T> T check(List<String> keys, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new BootManifestException(source, String.join("/", keys), e.getMessage(), e);
        }
    }

    private <T> T apply(String key, String value, String expected, Function<String, T> parser) {
        try {
            return parser.apply(value.trim());
        } catch (IllegalArgumentException e) {
            String detail = e instanceof NumberFormatException || e.getMessage() == null ? "" : ": " + e.getMessage();
            throw new BootManifestException(source, key, "\"" + value + "\" is not " + expected + detail, e);
        }
    }

    /** Comma-separated entries, trimmed; blank is none; an empty entry is an error. */
    static List<String> split(String value) {
        if (value.isBlank()) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("empty entry in \"" + value + "\"");
            }
            entries.add(entry);
        }
        return entries;
    }
}
