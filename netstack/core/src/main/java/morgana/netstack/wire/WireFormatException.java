package morgana.netstack.wire;

/**
 * A packet that a parser refused. Carries no stack trace: it is a value that the interface turns into a
 * counted drop, thrown often by hostile input, and never escapes the stack's {@code poll}.
 */
public final class WireFormatException extends Exception {

    private final WireError error;

    public WireFormatException(WireError error) {
        super(error.name(), null, false, false);
        this.error = error;
    }

    public WireError error() {
        return error;
    }
}
