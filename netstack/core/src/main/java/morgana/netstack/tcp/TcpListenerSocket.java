package morgana.netstack.tcp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A passive open (RFC 9293 §3.5). Its backlog bounds the half-open connections plus the established ones
 * that {@link #accept} has not taken yet, so a SYN flood fills a fixed number of slots and no more. Closing it
 * resets those connections, as Linux does: nobody will read what their peers sent (RFC 2525 §2.17).
 */
final class TcpListenerSocket implements TcpListener {

    private final int port;
    private final int backlog;
    private final Runnable onClose;
    private final ArrayDeque<TcpSocket> ready = new ArrayDeque<>();
    private final Set<TcpSocket> halfOpen = new HashSet<>();
    /** Set once a SYN found the backlog full and got a cookie: only then are cookie ACKs looked at. */
    private boolean overflowed;
    private boolean closed;

    TcpListenerSocket(int port, int backlog, Runnable onClose) {
        this.port = port;
        this.backlog = backlog;
        this.onClose = onClose;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public TcpConnection accept() {
        while (true) {
            TcpSocket next = ready.poll();
            if (next == null || next.state() != TcpState.CLOSED) {
                return next; // skips connections reset before anyone took them
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
            List<TcpSocket> unaccepted = new ArrayList<>(halfOpen);
            unaccepted.addAll(ready);
            ready.clear();
            unaccepted.forEach(TcpSocket::abort); // RST, RFC 9293 §3.10.5; half-open ones leave halfOpen
        }
    }

    boolean isClosed() {
        return closed;
    }

    boolean isFull() {
        return halfOpen.size() + ready.size() >= backlog;
    }

    void overflowed() {
        overflowed = true;
    }

    boolean hasOverflowed() {
        return overflowed;
    }

    /** Whether a connection opened by a SYN cookie may wait for accept: the queue of those alone is bounded. */
    boolean canQueueEstablished() {
        return ready.size() < backlog;
    }

    void establishedByCookie(TcpSocket socket) {
        ready.add(socket);
    }

    void opened(TcpSocket socket) {
        halfOpen.add(socket);
    }

    void established(TcpSocket socket) {
        halfOpen.remove(socket);
        ready.add(socket);
    }

    void abandoned(TcpSocket socket) {
        halfOpen.remove(socket);
    }

    /** Connections waiting for {@link #accept}. */
    int readyCount() {
        return ready.size();
    }

    @Override
    public String toString() {
        return "TcpListener[" + port + (closed ? ", closed" : "") + "]";
    }
}
