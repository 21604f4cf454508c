package morgana.blog.server;

import java.util.Optional;

/**
 * A single byte range of a representation (RFC 9110 §14.1.2), resolved against its length.
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** What a {@code Range} header asks of a representation of {@code length} bytes. */
    sealed interface Request permits Whole, Partial, Unsatisfiable {}

    /** No usable range: the header is absent, not bytes, malformed or has several ranges; serve it all (200). */
    record Whole() implements Request {}

    /** Serve this part (206). */
    record Partial(ByteRange range) implements Request {}

    /** Nothing of the representation is in the range (416). */
    record Unsatisfiable() implements Request {}

    long length() {
        return last - first + 1;
    }

    String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /**
     * Reads {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. A server may ignore a Range it does not
     * like (§14.2), so malformed and multi-range headers just get the whole representation.
     */
    static Request parse(String header, long length) {
        if (header == null) {
            return new Whole();
        }
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = value.substring(6).strip();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        Optional<Long> first = number(spec.substring(0, dash).strip());
        Optional<Long> last = number(spec.substring(dash + 1).strip());
        if (dash == 0) { // suffix: the last n bytes
            if (last.isEmpty()) {
                return new Whole();
            }
            long n = last.get();
            if (n == 0 || length == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, length - n), length - 1));
        }
        if (first.isEmpty() || (!spec.substring(dash + 1).isBlank() && last.isEmpty())) {
            return new Whole();
        }
        long from = first.get();
        long to = last.orElse(Long.MAX_VALUE);
        if (to < from) {
            return new Whole(); // invalid range-spec: ignored (§14.1.1)
        }
        if (from >= length) {
            return new Unsatisfiable();
        }
        return new Partial(new ByteRange(from, Math.min(to, length - 1)));
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(digits));
    }
}
