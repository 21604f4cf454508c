package morgana.netstack.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 3708 §3: tells from the peer's D-SACK blocks (RFC 2883) whether a recovery episode was spurious. The
 * episode's retransmissions are noted; each D-SACK block takes its sequence space off them. Once every
 * retransmitted byte was reported as received twice, the originals got there after all (reordering or delay,
 * not loss), and the window reduction that began the episode can be undone.
 *
 * <p>The episode ends without an undo when a retransmission timeout goes back to SND.UNA (the RTO's
 * retransmissions are not counted, as RFC 3708 §3 assumes) or when too many ranges were retransmitted to follow.
 * A network that duplicates a needed retransmission passes for a spurious one; Linux accepts that risk too.
 */
final class DsackUndo {

    /** Retransmitted ranges followed per episode; a recovery that resends more is taken for real loss. */
    static final int MAX_RANGES = 64;

    private final List<int[]> outstanding = new ArrayList<>();
    private boolean open;

    /** Fast recovery started: nothing is retransmitted yet. */
    void start() {
        outstanding.clear();
        open = true;
    }

    /** This episode can no longer be undone. */
    void cancel() {
        outstanding.clear();
        open = false;
    }

    /** The episode's sequence space [start, end) was sent again. */
    void retransmitted(int start, int end) {
        if (!open || !Seq.lt(start, end)) {
            return;
        }
        if (outstanding.size() >= MAX_RANGES) {
            cancel();
            return;
        }
        outstanding.add(new int[] {start, end});
    }

    /**
     * The peer reported [left, right) as a duplicate. Returns true when that leaves no retransmission of the
     * episode unreported: the whole episode was spurious, and it is closed.
     */
    boolean duplicateReported(int left, int right) {
        if (!open || outstanding.isEmpty()) {
            return false;
        }
        List<int[]> rest = new ArrayList<>();
        boolean consumed = false;
        for (int[] r : outstanding) {
            if (consumed || !Seq.lt(r[0], right) || !Seq.lt(left, r[1])) {
                rest.add(r);
                continue;
            }
            consumed = true; // one report answers one retransmission: a range sent twice needs two
            if (Seq.lt(r[0], left)) {
                rest.add(new int[] {r[0], Seq.lt(r[1], left) ? r[1] : left});
            }
            if (Seq.gt(r[1], right)) {
                rest.add(new int[] {Seq.gt(r[0], right) ? r[0] : right, r[1]});
            }
        }
        outstanding.clear();
        outstanding.addAll(rest);
        if (outstanding.isEmpty()) {
            open = false;
            return true;
        }
        return false;
    }
}
