package morgana.netstack.tcp;

import java.nio.ByteBuffer;

/** A fixed-capacity circular byte queue: a connection's send or receive buffer. */
final class ByteRing {

    private final byte[] data;
    private int head;
    private int size;

    ByteRing(int capacity) {
        data = new byte[capacity];
    }

    int capacity() {
        return data.length;
    }

    int size() {
        return size;
    }

    int free() {
        return data.length - size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends as much of {@code src} as fits; returns how much. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        int tail = (head + size) % data.length;
        int first = Math.min(n, data.length - tail);
        src.get(data, tail, first);
        src.get(data, 0, n - first);
        size += n;
        return n;
    }

    /** Appends {@code length} bytes of {@code src} from {@code offset}; the caller made sure they fit. */
    void write(byte[] src, int offset, int length) {
        write(ByteBuffer.wrap(src, offset, length));
    }

    /** Moves as many bytes as {@code dst} has room for out of the ring; returns how many. */
    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size);
        int first = Math.min(n, data.length - head);
        dst.put(data, head, first);
        dst.put(data, 0, n - first);
        discard(n);
        return n;
    }

    /** Copies {@code length} bytes starting {@code offset} bytes after the head, without consuming them. */
    byte[] peek(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("peek " + offset + "+" + length + " of " + size);
        }
        byte[] out = new byte[length];
        int start = (head + offset) % data.length;
        int first = Math.min(length, data.length - start);
        System.arraycopy(data, start, out, 0, first);
        System.arraycopy(data, 0, out, first, length - first);
        return out;
    }

    void discard(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("discard " + n + " of " + size);
        }
        head = (head + n) % data.length;
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    void clear() {
        head = 0;
        size = 0;
    }
}
