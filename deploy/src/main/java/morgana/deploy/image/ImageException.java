package morgana.deploy.image;

/**
 * Building an image failed for a reason the user can act on; the message says what to do.
 * The CLI prints it without a stack trace.
 */
public class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
