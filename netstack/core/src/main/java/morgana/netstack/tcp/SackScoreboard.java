package morgana.netstack.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import morgana.netstack.wire.TcpOption;

/**
 * What the peer told us it holds above SND.UNA (RFC 6675 §3): disjoint SACKed ranges of sequence space in
 * order. From it come the lost holes to retransmit first and the "pipe", the data still in the network.
 * A hole counts as lost once more than DupThresh - 1 segments' worth of data above it were SACKed (IsLost, §4).
 * DupThresh is the caller's: 3 by default, raised once the path is seen to reorder (RFC 6675 §2 leaves it open
 * to that, RFC 4653 §3).
 */
final class SackScoreboard {

    /** Ranges kept at most: more only happens to a peer that invents blocks, and fewer ranges are still safe. */
    static final int MAX_RANGES = 64;
    /** RFC 6675 §2, DupThresh, on a path not (yet) seen to reorder. */
    static final int DUP_THRESH = 3;

    /** A range [start, end) of sequence space, or of the send stream. */
    record Span(int start, int end) {
        int length() {
            return end - start;
        }
    }

    private final List<int[]> ranges = new ArrayList<>();
    private int sacked;

    /**
     * Records the blocks of one ACK; blocks outside (SND.UNA, SND.MAX], inverted or empty are ignored (a
     * D-SACK below SND.UNA, RFC 2883, or a lie). Returns whether it learnt of new SACKed bytes.
     */
    boolean update(List<TcpOption.SackBlock> blocks, int sndUna, int sndMax) {
        int before = sacked;
        for (TcpOption.SackBlock b : blocks) {
            int left = b.left();
            int right = b.right();
            if (!Seq.lt(left, right) || Seq.le(left, sndUna) || Seq.gt(right, sndMax)) {
                continue;
            }
            add(left, right);
        }
        return sacked != before;
    }

    private void add(int left, int right) {
        int i = 0;
        while (i < ranges.size() && Seq.lt(ranges.get(i)[1], left)) {
            i++;
        }
        // ranges[i] is the first one that ends at or after left: merge every range touching [left, right)
        while (i < ranges.size() && Seq.le(ranges.get(i)[0], right)) {
            int[] r = ranges.remove(i);
            sacked -= r[1] - r[0];
            left = Seq.lt(r[0], left) ? r[0] : left;
            right = Seq.gt(r[1], right) ? r[1] : right;
        }
        ranges.add(i, new int[] {left, right});
        sacked += right - left;
        if (ranges.size() > MAX_RANGES) {
            int[] dropped = ranges.removeLast();
            sacked -= dropped[1] - dropped[0];
        }
    }

    /** SND.UNA advanced: forget what lies below it. */
    void acknowledged(int sndUna) {
        while (!ranges.isEmpty()) {
            int[] r = ranges.getFirst();
            if (Seq.le(r[1], sndUna)) {
                ranges.removeFirst();
                sacked -= r[1] - r[0];
            } else {
                if (Seq.lt(r[0], sndUna)) {
                    sacked -= sndUna - r[0];
                    r[0] = sndUna;
                }
                break;
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        ranges.forEach(r -> b.append(r[0]).append('-').append(r[1]).append(' '));
        return b.append(']').toString();
    }

    void clear() {
        ranges.clear();
        sacked = 0;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int sackedBytes() {
        return sacked;
    }

    /** The end of the highest SACKed range; only when not {@link #isEmpty()}. */
    int highestSacked() {
        return ranges.getLast()[1];
    }

    /** The end of the SACKed range holding {@code seq}, or {@code seq} itself when none does. */
    int skipSacked(int seq) {
        for (int[] r : ranges) {
            if (Seq.le(r[0], seq) && Seq.lt(seq, r[1])) {
                return r[1];
            }
        }
        return seq;
    }

    /** RFC 6675 §4 IsLost: more than (DupThresh - 1) segments' worth SACKed above {@code seq}. */
    boolean isLost(int seq, int mss, int dupThresh) {
        long above = 0;
        for (int i = 0; i < ranges.size(); i++) { // every ACK asks, SACKed or not: no iterator
            int[] r = ranges.get(i);
            if (Seq.gt(r[1], seq)) {
                above += Seq.gt(r[0], seq) ? r[1] - r[0] : r[1] - seq;
            }
        }
        return above > (long) (dupThresh - 1) * mss;
    }

    /**
     * RFC 6675 §4 SetPipe, by ranges instead of segments: every unSACKed byte in (SND.UNA, SND.MAX) counts once
     * unless it is lost, and once more if it was retransmitted (below HighRxt).
     */
    long pipe(int sndUna, int sndMax, int highRxt, int mss, int dupThresh) {
        long pipe = 0;
        int cursor = sndUna;
        long sackedAbove = sacked;
        for (int[] r : ranges) {
            pipe += holeInFlight(cursor, r[0], highRxt, sackedAbove > (long) (dupThresh - 1) * mss);
            sackedAbove -= r[1] - r[0];
            cursor = r[1];
        }
        pipe += holeInFlight(cursor, sndMax, highRxt, false);
        return pipe;
    }

    private static long holeInFlight(int from, int to, int highRxt, boolean lost) {
        if (!Seq.lt(from, to)) {
            return 0;
        }
        long length = to - from;
        long retransmitted = Seq.le(highRxt, from) ? 0 : Seq.ge(highRxt, to) ? length : highRxt - from;
        return (lost ? 0 : length) + retransmitted;
    }

    /**
     * RFC 6675 §4 NextSeg rule 1: the first lost, unSACKed sequence space at or above {@code highRxt}, at most
     * {@code mss} long; empty when there is none.
     */
    Optional<Span> nextLost(int sndUna, int highRxt, int mss, int dupThresh) {
        int cursor = sndUna;
        long sackedAbove = sacked;
        for (int[] r : ranges) {
            int from = Seq.max(cursor, highRxt);
            if (Seq.lt(from, r[0]) && sackedAbove > (long) (dupThresh - 1) * mss) {
                return Optional.of(new Span(from, r[0] - from < mss ? r[0] : from + mss));
            }
            sackedAbove -= r[1] - r[0];
            cursor = r[1];
        }
        return Optional.empty();
    }
}
