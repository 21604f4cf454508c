package morgana.netstack.tcp;

import java.nio.ByteBuffer;

/**
 * A circular byte queue of bounded capacity: a connection's send or receive buffer. It holds no array until
 * the first byte arrives; the array starts small and doubles as data needs it, up to the capacity, so a 1 GiB
 * window costs memory only once data fills it; and it is given back whenever the ring is drained, so an idle
 * connection (a keep-alive one between requests, a half-open one, one in TIME_WAIT) costs no buffer memory
 * whatever it carried before. Without that, 10 000 idle connections that each fetched a 64 KiB page would
 * keep 640 MiB.
 */
final class ByteRing {

    /** The first array: one full-sized segment's worth, so a small request costs one small allocation. */
    static final int INITIAL_ALLOCATION = 2 * 1024;
    private static final byte[] NONE = new byte[0];
    private static final ByteBuffer EMPTY = ByteBuffer.wrap(NONE).asReadOnlyBuffer();

    private int capacity;
    private byte[] data = NONE;
    /** {@link #view}'s buffer over {@link #data}, made when the array changes rather than per view. */
    private ByteBuffer dataView = EMPTY;
    /** Where {@link #view} joins bytes that wrap around the array's end; kept while the ring is busy. */
    private ByteBuffer joined = EMPTY;
    private int head;
    private int size;

    ByteRing(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Changes the capacity to {@code wanted}, or to the bytes held if more (they are never dropped); the array
     * shrinks with it when it is larger than the new capacity.
     */
    void setCapacity(int wanted) {
        if (wanted < 1) {
            throw new IllegalArgumentException("a buffer holds at least 1 byte, not " + wanted);
        }
        capacity = Math.max(wanted, size);
        if (data.length > capacity) {
            byte[] smaller = new byte[capacity];
            copyInto(smaller);
            data = smaller;
            head = 0;
        }
    }

    int size() {
        return size;
    }

    int free() {
        return capacity - size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Bytes of array held now, whatever is in them: zero while empty. */
    int allocated() {
        return data.length + joined.capacity(); // the joining array too: it goes back with the ring's
    }

    /** Appends as much of {@code src} as fits; returns how much. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        write(src, 0, n);
        src.position(src.position() + n);
        return n;
    }

    /** Appends as much of the first {@code length} bytes of {@code source} as fits; returns how much. */
    int write(TcpConnection.ByteSource source, int length) {
        int n = Math.min(length, free());
        if (n == 0) {
            return 0;
        }
        ensureRoom(size + n);
        int tail = (head + size) % data.length;
        int first = Math.min(n, data.length - tail);
        source.copyTo(0, data, tail, first);
        if (n > first) {
            source.copyTo(first, data, 0, n - first);
        }
        size += n;
        return n;
    }

    /** Appends {@code length} bytes of {@code src} from {@code offset}; the caller made sure they fit. */
    void write(byte[] src, int offset, int length) {
        write(ByteBuffer.wrap(src), offset, length);
    }

    /**
     * Appends {@code length} bytes of {@code src} from {@code offset} bytes after its position, leaving
     * {@code src} as it was; the caller made sure they fit.
     */
    void write(ByteBuffer src, int offset, int length) {
        if (length == 0) {
            return;
        }
        ensureRoom(size + length);
        int from = src.position() + offset;
        int tail = (head + size) % data.length;
        int first = Math.min(length, data.length - tail);
        src.get(from, data, tail, first);
        src.get(from + first, data, 0, length - first);
        size += length;
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

    /**
     * The {@code length} bytes starting {@code offset} bytes after the head, without consuming them: a view of
     * the ring's array where they lie in one piece, else a copy joined in an array the ring keeps. Either is
     * valid until the ring next changes or the next view, and neither is made anew per call: a connection
     * sending takes a view per segment.
     */
    ByteBuffer view(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("view " + offset + "+" + length + " of " + size);
        }
        if (length == 0) {
            return EMPTY;
        }
        int start = (head + offset) % data.length;
        if (start + length <= data.length) {
            if (!dataView.hasArray() || dataView.array() != data) { // EMPTY is read-only: no array
                dataView = ByteBuffer.wrap(data);
            }
            return dataView.clear().limit(start + length).position(start);
        }
        if (joined.capacity() < length) {
            joined = ByteBuffer.allocate(length);
        }
        int first = data.length - start;
        joined.clear().put(0, data, start, first).put(first, data, 0, length - first);
        return joined.limit(length);
    }

    /** Copies {@code length} bytes starting {@code offset} bytes after the head, without consuming them. */
    byte[] peek(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("peek " + offset + "+" + length + " of " + size);
        }
        byte[] out = new byte[length];
        if (length == 0) {
            return out;
        }
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
        if (n == size) {
            head = 0; // drained: the array stays for the next bytes ({@link #releaseIfEmpty} gives it back)
            size = 0;
            return;
        }
        head = (head + n) % data.length;
        size -= n;
    }

    /**
     * Gives the array back if the ring holds nothing: what an idle connection does, so that thousands of
     * them cost no buffer memory, while a busy one keeps its array between drains instead of making it anew.
     */
    void releaseIfEmpty() {
        if (size == 0) {
            clear();
        }
    }

    /** Empties the ring and gives its arrays back. */
    void clear() {
        data = NONE;
        dataView = EMPTY;
        joined = EMPTY;
        head = 0;
        size = 0;
    }

    /** Grows the array (doubling, at most to the capacity) until {@code needed} bytes fit, keeping the order. */
    private void ensureRoom(int needed) {
        if (needed <= data.length) {
            return;
        }
        int length = Math.max(data.length, Math.min(capacity, INITIAL_ALLOCATION));
        while (length < needed) {
            length = (int) Math.min(capacity, 2L * length);
        }
        byte[] grown = new byte[length];
        copyInto(grown);
        data = grown;
        head = 0;
    }

    /** Copies the held bytes, in order, to the start of {@code target}. */
    private void copyInto(byte[] target) {
        int first = Math.min(size, data.length - head);
        System.arraycopy(data, head, target, 0, first);
        System.arraycopy(data, 0, target, first, size - first);
    }
}
