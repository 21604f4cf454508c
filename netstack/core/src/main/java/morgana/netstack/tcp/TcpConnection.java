package morgana.netstack.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One TCP connection, as the application sees it. Every method is non-blocking and must be called from
 * the thread that polls the stack. What the calls queue (data, FIN, RST) goes out at the next poll.
 */
public interface TcpConnection {

    /**
     * Moves received, in-order bytes into {@code dst}. Returns how many were moved (0 when none is waiting),
     * or -1 when the peer has closed its side (FIN received) and every byte before it was read.
     */
    int read(ByteBuffer dst);

    /** Copies as much of {@code src} as the send buffer has room for; returns how many bytes it took. */
    int write(ByteBuffer src);

    /**
     * Where {@link #write(ByteSource, int)} takes bytes from: a source that copies them itself, such as a Netty
     * buffer, which would otherwise make a {@code ByteBuffer} view of itself for every write.
     */
    @FunctionalInterface
    interface ByteSource {
        /** Copies {@code length} bytes from {@code sourceOffset} (counted from the write's first byte) into {@code target}. */
        void copyTo(int sourceOffset, byte[] target, int targetOffset, int length);
    }

    /** As {@link #write(ByteBuffer)}, from the first {@code length} bytes of {@code source}; returns how many it took. */
    int write(ByteSource source, int length);

    /** How many bytes {@link #write} would take now. */
    int writableBytes();

    /** Bytes written but not yet acknowledged by the peer. */
    int unacknowledgedBytes();

    /** Sends FIN after everything already written (half-close); reading stays possible. */
    void shutdownOutput();

    /**
     * Closes our side: everything already written is sent, then the FIN (RFC 9293 §3.10.4); reading stays
     * possible until the peer's FIN. The same as {@link #shutdownOutput()}; {@link #abort()} is the abortive close.
     */
    default void close() {
        shutdownOutput();
    }

    /**
     * Turns Nagle's algorithm on or off for this connection (RFC 896, RFC 1122 §4.2.3.4; off is TCP_NODELAY):
     * when on, a segment smaller than the MSS waits while earlier data is unacknowledged.
     */
    void setNagle(boolean on);

    boolean nagle();

    /**
     * Turns keepalive probing on or off (SO_KEEPALIVE; RFC 1122 §4.2.3.6): when on, with the stack's settings,
     * or Linux's defaults (2 h idle, 75 s apart, 9 probes) when the stack has none.
     */
    void setKeepAlive(boolean on);

    boolean keepAlive();

    /** The send buffer's size in bytes (SO_SNDBUF); never below what it holds. */
    void setSendBufferSize(int bytes);

    int sendBufferSize();

    /** The receive buffer's size in bytes (SO_RCVBUF), which bounds the window; never below what it holds. */
    void setReceiveBufferSize(int bytes);

    int receiveBufferSize();

    /** Resets the connection (RST) and discards both buffers. */
    void abort();

    /** The connection's state (RFC 9293 §3.3.2). */
    TcpState state();

    /** True once the connection has reached CLOSED (after TIME_WAIT, or by RST, or abort). */
    default boolean isClosed() {
        return state() == TcpState.CLOSED;
    }

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();
}
