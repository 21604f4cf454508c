package morgana.netstack.tcp;

/**
 * A passive open on one local port (RFC 9293 §3.5). Each SYN that arrives spawns a connection; those that
 * reach ESTABLISHED wait in a bounded backlog until {@link #accept} takes them.
 */
public interface TcpListener {

    /** The local port. */
    int port();

    /** The next established connection, or {@code null} when none is waiting. Never blocks. */
    TcpConnection accept();

    /** Stops accepting: later SYNs to this port are answered with RST. Connections already made stay open. */
    void close();
}
