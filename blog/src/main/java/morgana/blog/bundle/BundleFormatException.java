package morgana.blog.bundle;

import java.io.IOException;

/** A byte stream that is not a site bundle this version can read: wrong magic, version, or a corrupt entry. */
public final class BundleFormatException extends IOException {
    public BundleFormatException(String message) {
        super(message);
    }
}
