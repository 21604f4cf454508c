package morgana.deploy.image;

import java.io.ByteArrayOutputStream;

/**
 * A decoder for LZ4's legacy frame ({@code lz4 -l}), the format of the payload inside an x86 bzImage built
 * with {@code CONFIG_KERNEL_LZ4}: the magic {@code 0x184C2102}, then blocks each prefixed by its compressed
 * length (little-endian), each decoding to at most 8 MiB. The kernel's build appends the decompressed size
 * as four more bytes ({@code size_append} in scripts/Makefile.lib), which {@link #decode} checks.
 *
 * <p>Written here rather than taken from a library: the block format is about forty lines (the LZ4 block
 * format description, lz4/doc/lz4_Block_format.md), decoding is all we need, and a hand-written decoder
 * keeps the build from depending on a native-backed jar for one step.
 */
public final class Lz4Legacy {
    public static final int MAGIC = 0x184C2102;
    private static final int MAX_BLOCK = 8 << 20;

    private Lz4Legacy() {
    }

    /** Decodes {@code in[offset, offset + length)}: a legacy frame followed by the kernel's 4-byte size. */
    public static byte[] decode(byte[] in, int offset, int length) {
        if (length < 8 || le32(in, offset) != MAGIC) {
            throw new ImageException("not an LZ4 legacy frame (no magic 0x184C2102 at offset " + offset + ")");
        }
        int end = offset + length - 4;
        long expected = le32(in, end) & 0xFFFF_FFFFL;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(expected, Integer.MAX_VALUE - 8));
        byte[] block = new byte[MAX_BLOCK];
        int at = offset + 4;
        while (at + 4 <= end) {
            int size = le32(in, at);
            at += 4;
            if (size == MAGIC) {
                continue; // concatenated frames: a new frame's magic where a block size would be
            }
            if (size <= 0 || at + size > end) {
                throw new ImageException("LZ4 block of " + size + " bytes at offset " + (at - 4) + " runs past the payload");
            }
            int n = decodeBlock(in, at, size, block);
            out.write(block, 0, n);
            at += size;
        }
        if (out.size() != expected) {
            throw new ImageException("LZ4 payload decoded to " + out.size() + " bytes, but the kernel says " + expected);
        }
        return out.toByteArray();
    }

    /** Decodes one LZ4 block into {@code out}; returns the bytes written. */
    static int decodeBlock(byte[] in, int start, int length, byte[] out) {
        int ip = start;
        int end = start + length;
        int op = 0;
        try {
            while (true) {
                int token = in[ip++] & 0xFF;
                int literals = token >>> 4;
                if (literals == 15) {
                    int b;
                    do {
                        b = in[ip++] & 0xFF;
                        literals += b;
                    } while (b == 255);
                }
                System.arraycopy(in, ip, out, op, literals);
                ip += literals;
                op += literals;
                if (ip >= end) {
                    return op; // the last sequence has literals only
                }
                int distance = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
                ip += 2;
                if (distance == 0 || distance > op) {
                    throw new ImageException("corrupt LZ4 block: match offset " + distance + " at output " + op);
                }
                int match = (token & 0x0F) + 4;
                if ((token & 0x0F) == 15) {
                    int b;
                    do {
                        b = in[ip++] & 0xFF;
                        match += b;
                    } while (b == 255);
                }
                int from = op - distance;
                if (distance >= match) {
                    System.arraycopy(out, from, out, op, match);
                    op += match;
                } else {
                    for (int i = 0; i < match; i++) {
                        out[op++] = out[from + i]; // overlapping: repeats the last `distance` bytes
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new ImageException("corrupt LZ4 block at offset " + start + ": it runs past its input or 8 MiB", e);
        }
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
