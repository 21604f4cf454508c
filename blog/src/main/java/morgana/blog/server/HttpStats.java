package morgana.blog.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server has done since it started: responses per status code, and connections by fate. Shared
 * by every connection of one {@link BlogServerInitializer}; safe to read from any thread.
 */
public final class HttpStats {

    private final AtomicLongArray byStatus = new AtomicLongArray(600);
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder headerTimeouts = new LongAdder();
    private final LongAdder accessLogSuppressed = new LongAdder();

    void responded(int status) {
        if (status >= 100 && status < 600) {
            byStatus.incrementAndGet(status);
        }
    }

    void accepted() {
        accepted.increment();
    }

    void refused() {
        refused.increment();
    }

    void idleClosed() {
        idleClosed.increment();
    }

    void headerTimedOut() {
        headerTimeouts.increment();
    }

    void accessLogSuppressed() {
        accessLogSuppressed.increment();
    }

    /** Responses sent with this status code. */
    public long responses(int status) {
        return status >= 0 && status < 600 ? byStatus.get(status) : 0;
    }

    /** Every status code answered at least once, with its count, in code order. */
    public Map<Integer, Long> responsesByStatus() {
        var counts = new TreeMap<Integer, Long>();
        for (int status = 100; status < 600; status++) {
            long n = byStatus.get(status);
            if (n > 0) {
                counts.put(status, n);
            }
        }
        return counts;
    }

    /** Connections admitted under the connection limits. */
    public long connectionsAccepted() {
        return accepted.sum();
    }

    /** Connections closed at once because a connection limit was reached. */
    public long connectionsRefused() {
        return refused.sum();
    }

    /** Keep-alive connections the server closed after the idle timeout. */
    public long connectionsClosedIdle() {
        return idleClosed.sum();
    }

    /** Connections closed because a request head took longer than the header read timeout. */
    public long headerReadTimeouts() {
        return headerTimeouts.sum();
    }

    /** Access log lines not printed because of the rate limit. */
    public long accessLogLinesSuppressed() {
        return accessLogSuppressed.sum();
    }

    @Override
    public String toString() {
        return "HttpStats[responses=" + responsesByStatus() + ", accepted=" + connectionsAccepted()
                + ", refused=" + connectionsRefused() + ", idleClosed=" + connectionsClosedIdle()
                + ", headerTimeouts=" + headerReadTimeouts() + "]";
    }
}
