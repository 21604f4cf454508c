package morgana.e2e.netstack;

/**
 * The bytes both ends of the TCP tests send: byte {@code i} of the stream is a hash of {@code i}, so the
 * receiver checks every byte where it lands, without holding the 100 MB.
 */
final class TransferPattern {

    private TransferPattern() {
    }

    static byte at(long offset) {
        return (byte) ((offset * 0x9E3779B97F4A7C15L) >>> 56);
    }

    /** Fills {@code buf[0, length)} with the stream's bytes from {@code offset}. */
    static void fill(byte[] buf, int length, long offset) {
        for (int i = 0; i < length; i++) {
            buf[i] = at(offset + i);
        }
    }

    /** Counts the bytes of {@code buf[0, length)} that differ from the stream's at {@code offset}. */
    static long mismatches(byte[] buf, int length, long offset) {
        long bad = 0;
        for (int i = 0; i < length; i++) {
            if (buf[i] != at(offset + i)) {
                bad++;
            }
        }
        return bad;
    }
}
