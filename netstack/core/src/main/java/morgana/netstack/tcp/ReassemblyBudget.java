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

    /** Reserves {@code bytes} if they fit under the limit. */
    boolean tryTake(int bytes) {
        if (used + bytes > limit) {
            return false;
        }
        used += bytes;
        return true;
    }

    void give(int bytes) {
        used -= bytes;
    }

    long used() {
        return used;
    }
}
