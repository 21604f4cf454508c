package morgana.blog.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The path a request-target names (RFC 9112 §3.2): origin-form {@code /a/b?q} or absolute-form
 * {@code http://host/a/b?q}, percent-decoded, without the query. {@link #parse} refuses anything that
 * could name something other than a plain path inside the site:
 * <ul>
 *   <li>bytes outside visible ASCII, a backslash (raw or {@code %5C}), a fragment;</li>
 *   <li>a bad percent escape, an encoded NUL or control character, an encoded {@code /};</li>
 *   <li>bytes that are not UTF-8 as RFC 3629 defines it (so overlong forms such as {@code %C0%AE} for
 *       {@code .} are refused, not decoded);</li>
 *   <li>a {@code .} or {@code ..} segment, raw or encoded.</li>
 * </ul>
 *
 * @param rawPath   the path as sent, for redirects
 * @param path      the decoded path, what the bundle is asked for
 * @param authority the host of an absolute-form target, else empty
 */
record RequestTarget(String rawPath, String path, Optional<String> authority) {

    static Optional<RequestTarget> parse(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '\\' || c == '#') {
                return Optional.empty();
            }
        }
        String rest = uri;
        Optional<String> authority = Optional.empty();
        if (!uri.startsWith("/")) {
            String lower = uri.toLowerCase(Locale.ROOT);
            int start;
            if (lower.startsWith("http://")) {
                start = 7;
            } else if (lower.startsWith("https://")) {
                start = 8;
            } else {
                return Optional.empty();
            }
            int end = start;
            while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
                end++;
            }
            String host = uri.substring(start, end);
            if (!HostField.isValid(host) || host.isEmpty()) {
                return Optional.empty();
            }
            authority = Optional.of(host);
            rest = end == uri.length() ? "/" : uri.substring(end);
            if (rest.startsWith("?")) {
                rest = "/" + rest;
            }
        }
        int query = rest.indexOf('?');
        String rawPath = query < 0 ? rest : rest.substring(0, query);
        Optional<String> host = authority;
        return decode(rawPath).map(path -> new RequestTarget(rawPath, path, host));
    }

    private static Optional<String> decode(String rawPath) {
        String path = rawPath.indexOf('%') < 0 ? rawPath : percentDecoded(rawPath); // plain ASCII: itself
        if (path == null || hasDotSegment(path)) {
            return Optional.empty();
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }

    /** The path with its %XX escapes decoded as UTF-8; null when an escape or the UTF-8 is malformed or forbidden. */
    private static String percentDecoded(String rawPath) {
        var bytes = ByteBuffer.allocate(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            if (i + 2 >= rawPath.length()) {
                return null;
            }
            int high = Character.digit(rawPath.charAt(i + 1), 16);
            int low = Character.digit(rawPath.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            int b = high << 4 | low;
            if (b < 0x20 || b == 0x7F || b == '/' || b == '\\') {
                return null;
            }
            bytes.put((byte) b);
            i += 2;
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A {@code .} or {@code ..} segment anywhere in the path. */
    private static boolean hasDotSegment(String path) {
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if ((length == 1 || length == 2) && path.charAt(start) == '.' && (length == 1 || path.charAt(start + 1) == '.')) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
