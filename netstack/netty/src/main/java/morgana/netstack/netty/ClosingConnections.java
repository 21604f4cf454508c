package morgana.netstack.netty;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpState;

/**
 * Connections whose channel is closed but whose FIN exchange is still under way, like the orphan sockets a
 * kernel keeps after {@code close(2)}. Until the exchange ends, or the linger deadline passes and the
 * connection is reset, whatever the peer still sends is read and discarded, so that its window never closes
 * on a request we will not answer (a "lingering close", as HTTP servers do).
 */
final class ClosingConnections {

    private record Closing(TcpConnection connection, Instant deadline) {
    }

    private final List<Closing> closing = new ArrayList<>();
    private final ByteBuffer discard = ByteBuffer.allocate(16 * 1024);

    void adopt(TcpConnection connection, Instant deadline) {
        closing.add(new Closing(connection, deadline));
    }

    int size() {
        return closing.size();
    }

    /** Discards received bytes, forgets connections that are done, and resets those past their deadline. */
    void service(Instant now) {
        if (closing.isEmpty()) {
            return; // every poll asks: no iterator to make for nothing
        }
        for (Iterator<Closing> it = closing.iterator(); it.hasNext(); ) {
            Closing c = it.next();
            TcpConnection connection = c.connection();
            drain(connection);
            if (isDone(connection)) {
                it.remove();
            } else if (!now.isBefore(c.deadline())) {
                connection.abort();
                it.remove();
            }
        }
    }

    Optional<Instant> nextDeadline() {
        if (closing.isEmpty()) {
            return Optional.empty();
        }
        Instant next = null;
        for (Closing c : closing) {
            if (next == null || c.deadline().isBefore(next)) {
                next = c.deadline();
            }
        }
        return Optional.ofNullable(next);
    }

    void abortAll() {
        for (Closing c : closing) {
            c.connection().abort();
        }
        closing.clear();
    }

    /** Both FINs are through (TIME_WAIT is the stack's business) or the connection is gone. */
    static boolean isDone(TcpConnection connection) {
        TcpState state = connection.state();
        return state == TcpState.TIME_WAIT || state == TcpState.CLOSED;
    }

    private void drain(TcpConnection connection) {
        int n;
        do {
            discard.clear();
            n = connection.read(discard);
        } while (n > 0);
    }
}
