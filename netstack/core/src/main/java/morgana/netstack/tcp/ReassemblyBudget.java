package morgana.netstack.tcp;

/**
 * The out-of-order bytes all connections of a layer may hold together. Each connection's own share is bounded
 * by its receive window; this bounds the sum, so many connections with holes cannot exhaust the heap.
 */
final class ReassemblyBudget {

    private final long limit;
    private long used;

    ReassemblyBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves as many of {@code bytes} as fit under the limit; returns how many. */
    int takeUpTo(int bytes) {
        int granted = (int) Math.max(0, Math.min(bytes, limit - used));
        used += granted;
        return granted;
    }

    void give(int bytes) {
        used -= bytes;
    }

    long used() {
        return used;
    }
}
