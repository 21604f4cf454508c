package morgana.blog.server;

/**
 * The {@code Host} field value (RFC 9110 §7.2): {@code uri-host [ ":" port ]}, where the host is a
 * reg-name, an IPv4 address or a bracketed IP literal. Empty is allowed (a client sends it for a target
 * without authority).
 */
final class HostField {

    private HostField() {}

    static boolean isValid(String value) {
        String host = value;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = value.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            return isPort(value.substring(close + 1));
        }
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            if (!isPort(value.substring(colon))) {
                return false;
            }
            host = value.substring(0, colon);
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean regName = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
            if (!regName) {
                return false;
            }
        }
        return true;
    }

    /** Empty, or ":" and one to five digits. */
    private static boolean isPort(String suffix) {
        if (suffix.isEmpty()) {
            return true;
        }
        if (suffix.charAt(0) != ':' || suffix.length() > 6) {
            return false;
        }
        for (int i = 1; i < suffix.length(); i++) {
            if (suffix.charAt(i) < '0' || suffix.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
