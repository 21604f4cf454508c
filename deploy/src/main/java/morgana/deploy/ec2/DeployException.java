package morgana.deploy.ec2;

/** A deploy stopped; the message says at which step, why, and what state the site was left in. */
public final class DeployException extends RuntimeException {
    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
