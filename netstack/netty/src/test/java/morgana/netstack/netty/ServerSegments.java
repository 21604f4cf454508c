package morgana.netstack.netty;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.netstack.phy.LinkPair;

/** Counts the TCP flags of the segments one end of a link transmits: what is really on the wire. */
final class ServerSegments {

    private static final int FIN = 0x01;
    private static final int RST = 0x04;

    private final AtomicInteger fins = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();

    ServerSegments(LinkPair.End end) {
        end.setTap(this::observe);
    }

    int fins() {
        return fins.get();
    }

    int resets() {
        return resets.get();
    }

    private void observe(ByteBuffer frame) {
        // Ethernet II, IPv4, TCP: just enough parsing to read the flags byte.
        if (frame.remaining() < 14 + 20 + 20 || frame.getShort(12) != 0x0800 || frame.get(14 + 9) != 6) {
            return;
        }
        int ipHeader = (frame.get(14) & 0x0F) * 4;
        int flags = frame.get(14 + ipHeader + 13) & 0xFF;
        if ((flags & FIN) != 0) {
            fins.incrementAndGet();
        }
        if ((flags & RST) != 0) {
            resets.incrementAndGet();
        }
    }
}
