package morgana.netstack.tcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data that arrived beyond RCV.NXT (RFC 9293 §3.10.7.4, seventh step: "segments with higher beginning
 * sequence numbers may be held"), kept until the hole before it fills. Positions are 64-bit stream offsets,
 * so sequence-number wrap-around plays no part here; pieces never overlap (what is already held wins).
 * Every byte held is charged to the layer's {@link ReassemblyBudget}.
 */
final class ReassemblyQueue {

    /** One stretch of contiguous data held: [start, end) in stream offsets. */
    record Range(long start, long end) {
    }

    private final ReassemblyBudget budget;
    private final TreeMap<Long, byte[]> pieces = new TreeMap<>();
    private int bytes;
    private long lastReceivedAt = -1;

    ReassemblyQueue(ReassemblyBudget budget) {
        this.budget = budget;
    }

    /**
     * Holds the {@code length} bytes {@code offset} bytes after {@code data}'s position at stream offset
     * {@code start}, minus what is already held (copied: {@code data} is left as it was).
     * Returns false when the budget ran out (the part that fitted is held all the same).
     */
    boolean insert(long start, ByteBuffer data, int offset, int length) {
        long end = start + length;
        long cursor = start;
        boolean complete = true;
        Map.Entry<Long, byte[]> before = pieces.floorEntry(start);
        if (before != null) {
            cursor = Math.max(cursor, before.getKey() + before.getValue().length);
        }
        while (cursor < end) {
            Long nextStart = pieces.ceilingKey(cursor);
            long gapEnd = nextStart == null ? end : Math.min(end, nextStart);
            if (gapEnd > cursor) {
                int wanted = (int) (gapEnd - cursor);
                int n = budget.takeUpTo(wanted);
                if (n < wanted) {
                    complete = false;
                }
                if (n == 0) {
                    break;
                }
                byte[] piece = new byte[n];
                data.get(data.position() + offset + (int) (cursor - start), piece, 0, n);
                pieces.put(cursor, piece);
                bytes += n;
                if (!complete) {
                    break;
                }
            }
            if (nextStart == null || nextStart >= end) {
                break;
            }
            cursor = nextStart + pieces.get(nextStart).length;
        }
        lastReceivedAt = start;
        return complete;
    }

    /** Removes and returns, in order, the bytes that continue the stream at {@code next}; drops anything older. */
    List<byte[]> takeFrom(long next) {
        List<byte[]> out = new ArrayList<>();
        long at = next;
        for (Iterator<Map.Entry<Long, byte[]>> it = pieces.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, byte[]> e = it.next();
            long start = e.getKey();
            byte[] piece = e.getValue();
            if (start > at) {
                break;
            }
            it.remove();
            bytes -= piece.length;
            budget.give(piece.length);
            long end = start + piece.length;
            if (end > at) {
                int skip = (int) (at - start);
                out.add(skip == 0 ? piece : java.util.Arrays.copyOfRange(piece, skip, piece.length));
                at = end;
            }
        }
        return out;
    }

    /**
     * The contiguous ranges held, the one holding the most recently received data first, then the others in
     * stream order (RFC 2018 §4), at most {@code max} of them.
     */
    List<Range> sackRanges(int max) {
        List<Range> merged = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Map.Entry<Long, byte[]> e : pieces.entrySet()) {
            if (e.getKey() != end) {
                if (start >= 0) {
                    merged.add(new Range(start, end));
                }
                start = e.getKey();
            }
            end = e.getKey() + e.getValue().length;
        }
        if (start >= 0) {
            merged.add(new Range(start, end));
        }
        for (int i = 0; i < merged.size(); i++) {
            Range r = merged.get(i);
            if (r.start <= lastReceivedAt && lastReceivedAt < r.end) {
                merged.remove(i);
                merged.addFirst(r);
                break;
            }
        }
        return merged.size() <= max ? merged : merged.subList(0, max);
    }

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    int bytes() {
        return bytes;
    }

    /** Frees everything (the connection closed). */
    void clear() {
        budget.give(bytes);
        bytes = 0;
        pieces.clear();
    }
}
