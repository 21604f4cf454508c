package morgana.kernel.boot;

/** A boot manifest that cannot be used, naming its source and, when one is to blame, the key. */
public final class BootManifestException extends RuntimeException {

    private final String source;
    private final String key;

    BootManifestException(String source, String key, String problem, Throwable cause) {
        super("boot manifest " + source + (key == null ? "" : ", key " + key) + ": " + problem, cause);
        this.source = source;
        this.key = key;
    }

    /** Where the manifest came from, such as {@code /morgana/boot.manifest}. */
    public String source() {
        return source;
    }

    /** The key at fault, or {@code null} when the problem is the whole manifest. */
    public String key() {
        return key;
    }
}
