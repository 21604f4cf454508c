package morgana.blog.bundle;

import java.util.Locale;
import java.util.Set;

/**
 * The content codings a bundle entry can be served in (RFC 9110 §8.4.1): the body as it is, or one of the
 * variants compressed when the site was built. The server only picks one; it never compresses.
 */
public enum ContentCoding {
    /** Zstandard (RFC 8878): smaller than gzip and faster to decode; preferred when a client takes both. */
    ZSTD("zstd"),
    GZIP("gzip"),
    IDENTITY("identity");

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    /** The token in {@code Content-Encoding}. */
    public String token() {
        return token;
    }

    /**
     * The coding to send, given the request's {@code Accept-Encoding} and the variants an entry has
     * (RFC 9110 §12.5.3): the available coding with the highest weight, listed by name ({@code x-gzip} is
     * gzip) or covered by {@code *}; on a tie the one earlier in this enum (the smaller). No header, or no
     * acceptable variant, gives identity: it is always at hand and a 406 helps nobody.
     */
    public static ContentCoding negotiate(String acceptEncoding, Set<ContentCoding> available) {
        if (acceptEncoding == null) {
            return IDENTITY;
        }
        ContentCoding best = IDENTITY;
        double bestWeight = 0;
        for (ContentCoding coding : values()) {
            if (coding == IDENTITY || !available.contains(coding)) {
                continue;
            }
            double weight = weightOf(acceptEncoding, coding);
            if (weight > bestWeight) {
                best = coding;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** The weight the header gives {@code coding}: by name first, else by {@code *}, else 0. */
    private static double weightOf(String acceptEncoding, ContentCoding coding) {
        double star = 0;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (name.equals(coding.token) || (coding == GZIP && name.equals("x-gzip"))) {
                return weight(parts);
            }
            if (name.equals("*")) {
                star = weight(parts);
            }
        }
        return star;
    }

    /** The {@code q} parameter (RFC 9110 §12.4.2), 1 when absent, 0 when unreadable. */
    private static double weight(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].strip();
            if (parameter.length() > 2 && (parameter.startsWith("q=") || parameter.startsWith("Q="))) {
                try {
                    double q = Double.parseDouble(parameter.substring(2).strip());
                    return Double.isFinite(q) && q > 0 ? Math.min(q, 1) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
