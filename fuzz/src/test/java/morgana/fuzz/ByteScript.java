package morgana.fuzz;

import java.util.Arrays;

/**
 * Reads a fuzzer's bytes as a script: numbers and slices taken from the front, zeros once they run out, so
 * that every input is a valid script and the fuzzer's mutations move through its steps rather than past them.
 * (Jazzer's FuzzedDataProvider does the same but reads from both ends, which makes seeds hard to write by hand.)
 */
public final class ByteScript {

    private final byte[] bytes;
    private int at;

    public ByteScript(byte[] bytes) {
        this.bytes = bytes;
    }

    public boolean hasMore() {
        return at < bytes.length;
    }

    public int u8() {
        return at < bytes.length ? bytes[at++] & 0xFF : 0;
    }

    public int u16() {
        return (u8() << 8) | u8();
    }

    public int i32() {
        return (u16() << 16) | u16();
    }

    /** Up to {@code n} bytes (fewer at the end of the input). */
    public byte[] take(int n) {
        int end = Math.min(bytes.length, at + Math.max(0, n));
        byte[] out = Arrays.copyOfRange(bytes, at, end);
        at = end;
        return out;
    }
}
