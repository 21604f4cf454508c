package morgana.deploy.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;

/**
 * Reading the keys of {@code deploy:} by their dotted names, so that a missing or malformed one is an error at
 * its line in morgana.yaml that says what was expected.
 */
final class DeployKeys {
    private final SiteConfig config;

    DeployKeys(SiteConfig config) {
        this.config = config;
    }

    SiteException error(String dotted, String problem) {
        return config.error(dotted, problem);
    }

    Optional<String> string(Map<String, Object> section, String key, String dotted) throws SiteException {
        return typed(section.get(key), dotted, "a non-empty string",
                v -> v instanceof String text && !text.isBlank() ? Optional.of(text.strip()) : Optional.empty());
    }

    int integer(Object value, String dotted, int fallback) throws SiteException {
        return integer(value, dotted).orElse(fallback);
    }

    Optional<Integer> integer(Object value, String dotted) throws SiteException {
        return typed(value, dotted, "a whole number", v -> v instanceof Number n
                && n.longValue() == n.doubleValue() ? Optional.of(n.intValue()) : Optional.empty());
    }

    /** A nested mapping, empty when absent. */
    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> mapping(Object value, String dotted, String expected) throws SiteException {
        return typed(value, dotted, expected,
                v -> v instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty());
    }

    /** A list of non-empty strings, each checked at its own line ({@code key.0}, {@code key.1}, ...). */
    Optional<List<String>> strings(Object value, String dotted, String expected) throws SiteException {
        Optional<List<?>> list = typed(value, dotted, expected,
                v -> v instanceof List<?> l ? Optional.of(l) : Optional.empty());
        if (list.isEmpty()) {
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        for (int n = 0; n < list.get().size(); n++) {
            if (!(list.get().get(n) instanceof String s) || s.isBlank()) {
                throw error(dotted + "." + n, dotted + "." + n + " must be " + expected);
            }
            strings.add(s.strip());
        }
        return Optional.of(List.copyOf(strings));
    }

    /** A key's value as {@code read} takes it, empty when absent; an error at the key's line when unreadable. */
    <T> Optional<T> typed(Object value, String dotted, String expected, Function<Object, Optional<T>> read)
            throws SiteException {
        if (value == null) {
            return Optional.empty();
        }
        Optional<T> typed = read.apply(value);
        if (typed.isEmpty()) {
            throw error(dotted, dotted + " must be " + expected);
        }
        return typed;
    }
}
