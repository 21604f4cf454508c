package morgana.deploy.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;

/**
 * One mapping of {@code morgana.yaml} under {@code image:} (the section itself, or {@code image.network}), read
 * with its types checked: every complaint names the dotted key, and {@link SiteConfig#error} adds the file
 * and line, so a wrong value reads like {@code morgana.yaml:7: image.port must be ...}.
 */
record ImageSection(SiteConfig config, String prefix, Map<String, Object> values) {

    /** Refuses keys outside {@code known}: a misspelt key would otherwise be silently ignored. */
    void allowOnly(Set<String> known) throws SiteException {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw config.error(prefix + "." + key, prefix + "." + key + " is not a setting Morgana knows; "
                        + prefix + " takes " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String dotted(String key) {
        return prefix + "." + key;
    }

    SiteException error(String key, String problem) {
        return config.error(dotted(key), dotted(key) + " " + problem);
    }

    Optional<String> string(String key) throws SiteException {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw error(key, "must be a non-empty string, not " + describe(value));
        }
        return Optional.of(text.strip());
    }

    /** A string that must be one of {@code choices}. */
    Optional<String> choice(String key, List<String> choices) throws SiteException {
        Optional<String> value = string(key);
        if (value.isPresent() && !choices.contains(value.get())) {
            throw error(key, "must be one of " + String.join(", ", choices) + ", not " + value.get());
        }
        return value;
    }

    Optional<Integer> wholeNumber(String key, int min, int max, String what) throws SiteException {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(wholeNumber(value, dotted(key), min, max, what));
    }

    int wholeNumber(Object value, String dottedKey, int min, int max, String what) throws SiteException {
        if (!(value instanceof Number n) || n.longValue() != n.doubleValue() || value instanceof Double) {
            throw config.error(dottedKey, dottedKey + " must be " + what + " (a whole number from " + min + " to "
                    + max + "), not " + describe(value));
        }
        if (n.longValue() < min || n.longValue() > max) {
            throw config.error(dottedKey, dottedKey + " must be " + what + " from " + min + " to " + max + ", not " + n);
        }
        return n.intValue();
    }

    Optional<List<?>> list(String key, String example) throws SiteException {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof List<?> list)) {
            throw error(key, "must be a list, like " + example + ", not " + describe(value));
        }
        return Optional.of(list);
    }

    Optional<ImageSection> mapping(String key, String expected) throws SiteException {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw error(key, "must be a mapping with " + expected + ", not " + describe(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) raw;
        return Optional.of(new ImageSection(config, dotted(key), map));
    }

    static String describe(Object value) {
        return switch (value) {
            case String s -> "the string \"" + s + "\"";
            case Boolean b -> "the boolean " + b;
            case Number n -> "the number " + n;
            case List<?> l -> "a list";
            case Map<?, ?> m -> "a mapping";
            default -> String.valueOf(value);
        };
    }
}
