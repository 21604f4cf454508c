package morgana.netstack.netty;

import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.Ipv4Address;

/**
 * A blocking test client over a {@link TcpConnection} of a stack that a {@link StackEventLoopGroup} polls:
 * every step runs as a task on that group's loop (the stack's only thread), retried until it is done or the
 * timeout passes.
 */
final class RawClient {

    private final EventLoop loop;
    private final TcpConnection connection;
    private final Duration timeout;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean endOfInput;

    private RawClient(EventLoop loop, TcpConnection connection, Duration timeout) {
        this.loop = loop;
        this.connection = connection;
        this.timeout = timeout;
    }

    static RawClient connect(EventLoop loop, NetworkStack stack, Ipv4Address server, int port, Duration timeout) {
        TcpConnection connection = onLoop(loop, () -> stack.connect(server, port));
        RawClient client = new RawClient(loop, connection, timeout);
        client.await("ESTABLISHED", () -> switch (connection.state()) {
            case ESTABLISHED, CLOSE_WAIT -> Optional.of(true);
            case CLOSED -> throw new AssertionError("connection to " + server + ":" + port + " refused or reset");
            default -> Optional.empty();
        });
        return client;
    }

    /** Writes all of {@code data}, waiting for room in the send buffer as needed. */
    void write(byte[] data) {
        ByteBuffer src = ByteBuffer.wrap(data);
        await("send buffer room for " + data.length + " bytes", () -> {
            connection.write(src);
            return src.hasRemaining() ? Optional.empty() : Optional.of(true);
        });
    }

    /** Reads until exactly {@code n} bytes have arrived since the last read of this client. */
    byte[] readExactly(int n) {
        return await(n + " bytes", () -> {
            pull();
            if (received.size() >= n) {
                byte[] all = received.toByteArray();
                received.reset();
                received.write(all, n, all.length - n);
                return Optional.of(java.util.Arrays.copyOf(all, n));
            }
            if (endOfInput) {
                throw new AssertionError("EOF after " + received.size() + " of " + n + " bytes");
            }
            return Optional.empty();
        });
    }

    /** Reads everything up to the peer's FIN. */
    byte[] readUntilEof() {
        return await("EOF", () -> {
            pull();
            if (endOfInput) {
                byte[] all = received.toByteArray();
                received.reset();
                return Optional.of(all);
            }
            if (connection.isClosed()) {
                throw new AssertionError("connection reset before EOF, after " + received.size() + " bytes");
            }
            return Optional.empty();
        });
    }

    /** Waits until the connection reaches {@code state}. */
    void awaitState(TcpState state) {
        await("state " + state, () -> connection.state() == state ? Optional.of(true) : Optional.empty());
    }

    TcpState state() {
        return onLoop(loop, connection::state);
    }

    /** True when nothing arrives for {@code quiet}: the peer sent nothing more. */
    int bytesArrivingWithin(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet.toMillis());
        return onLoop(loop, () -> {
            pull();
            return received.size();
        });
    }

    void shutdownOutput() {
        onLoop(loop, () -> {
            connection.shutdownOutput();
            return null;
        });
    }

    void abort() {
        onLoop(loop, () -> {
            connection.abort();
            return null;
        });
    }

    private void pull() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        int n;
        while ((n = connection.read(buf.clear())) > 0) {
            received.write(buf.array(), 0, n);
        }
        if (n < 0) {
            endOfInput = true;
        }
    }

    private <T> T await(String what, Callable<Optional<T>> step) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> done = onLoop(loop, step);
            if (done.isPresent()) {
                return done.get();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what
                + " (connection " + onLoop(loop, connection::state) + ")");
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> task) {
        try {
            return loop.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError("client step failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("client step did not run on the stack's loop", e);
        }
    }
}
