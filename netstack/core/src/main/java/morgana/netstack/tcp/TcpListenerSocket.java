package morgana.netstack.tcp;

import java.util.ArrayDeque;

/**
 * A passive open (RFC 9293 §3.5). Its backlog bounds the half-open connections plus the established ones
 * that {@link #accept} has not taken yet, so a SYN flood fills a fixed number of slots and no more.
 */
final class TcpListenerSocket implements TcpListener {

    private final int port;
    private final int backlog;
    private final Runnable onClose;
    private final ArrayDeque<TcpSocket> ready = new ArrayDeque<>();
    private int halfOpen;
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
        }
    }

    boolean isClosed() {
        return closed;
    }

    boolean isFull() {
        return halfOpen + ready.size() >= backlog;
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

    void opened() {
        halfOpen++;
    }

    void established(TcpSocket socket) {
        halfOpen--;
        ready.add(socket);
    }

    void abandoned(TcpSocket socket) {
        halfOpen--;
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
