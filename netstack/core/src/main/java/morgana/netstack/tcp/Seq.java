package morgana.netstack.tcp;

/** Sequence number comparisons modulo 2^32 (RFC 9293 §3.4): {@code a} is before {@code b} if b - a is positive. */
final class Seq {

    private Seq() {
    }

    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** True when {@code start <= x < start + length} in sequence space. */
    static boolean inWindow(int x, int start, int length) {
        return Integer.compareUnsigned(x - start, length) < 0;
    }

    static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }
}
