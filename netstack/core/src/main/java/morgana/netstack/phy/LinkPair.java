package morgana.netstack.phy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Two in-memory {@link Device}s joined by a cable: what one end transmits, the other receives, in order.
 * For tests and the simulator, with fault hooks on each end's transmit side (drop the next N frames, drop
 * with a seeded probability, drop frames a predicate picks) and a tap that sees every frame sent.
 *
 * <pre>{@code
 * LinkPair link = new LinkPair(1500);
 * NetworkStack a = ..., b = ...;
 * a.poll(now, link.a()); b.poll(now, link.b());
 * link.a().dropNext(1);            // lose the next frame a sends
 * link.b().setLossRate(0.1, 42);   // and 10% of what b sends, reproducibly
 * }</pre>
 *
 * Thread-safe: a kernel test may poll one end from an event loop and inject from the test thread.
 */
public final class LinkPair {

    /** Frames each direction holds before dropping (a device may drop when full). */
    public static final int QUEUE_CAPACITY = 4096;

    private final Object lock = new Object();
    private final End a;
    private final End b;

    public LinkPair() {
        this(1500);
    }

    public LinkPair(int mtu) {
        a = new End("a", mtu);
        b = new End("b", mtu);
        a.peer = b;
        b.peer = a;
    }

    public End a() {
        return a;
    }

    public End b() {
        return b;
    }

    /** Frames sent by either end and not yet received by the other. */
    public int framesInFlight() {
        synchronized (lock) {
            return a.inbox.size() + b.inbox.size();
        }
    }

    /** One end of the link. Its fault hooks act on the frames it transmits. */
    public final class End implements Device {
        private final String name;
        private final int mtu;
        private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
        private End peer;
        private int dropNext;
        private double lossRate;
        private Random lossRandom = new Random(0);
        private Predicate<ByteBuffer> dropFilter = f -> false;
        private Consumer<ByteBuffer> tap = f -> { };
        private long transmitted;
        private long dropped;
        private boolean woken;

        private End(String name, int mtu) {
            this.name = name;
            this.mtu = mtu;
        }

        @Override
        public boolean receive(ByteBuffer frame) {
            byte[] next;
            synchronized (lock) {
                next = inbox.poll();
            }
            if (next == null) {
                frame.clear();
                return false;
            }
            frame.put(next);
            frame.flip();
            return true;
        }

        @Override
        public void transmit(ByteBuffer frame) {
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            synchronized (lock) {
                transmitted++;
                tap.accept(ByteBuffer.wrap(copy).asReadOnlyBuffer());
                boolean lose = dropNext > 0 || dropFilter.test(ByteBuffer.wrap(copy).asReadOnlyBuffer())
                        || (lossRate > 0 && lossRandom.nextDouble() < lossRate);
                if (dropNext > 0) {
                    dropNext--;
                }
                if (lose || peer.inbox.size() >= QUEUE_CAPACITY) {
                    dropped++;
                    return;
                }
                peer.inbox.add(copy);
                lock.notifyAll();
            }
        }

        /** Puts a frame into this end's receive queue as if the peer had sent it (bypasses the fault hooks). */
        public void inject(byte[] frame) {
            synchronized (lock) {
                inbox.add(frame.clone());
                lock.notifyAll();
            }
        }

        /** Takes the next frame waiting at this end, or null: lets a test play the peer by hand. */
        public byte[] takeReceived() {
            synchronized (lock) {
                return inbox.poll();
            }
        }

        /** Frames waiting to be received at this end. */
        public int pending() {
            synchronized (lock) {
                return inbox.size();
            }
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public void awaitFrame(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lock) {
                while (inbox.isEmpty() && !woken) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    lock.wait(left / 1_000_000, (int) (left % 1_000_000));
                }
                woken = false;
            }
        }

        @Override
        public void wakeup() {
            synchronized (lock) {
                woken = true;
                lock.notifyAll();
            }
        }

        /** Drops the next {@code count} frames this end transmits. */
        public void dropNext(int count) {
            synchronized (lock) {
                dropNext = count;
            }
        }

        /** Drops each frame this end transmits with probability {@code rate}, reproducibly from {@code seed}. */
        public void setLossRate(double rate, long seed) {
            synchronized (lock) {
                lossRate = rate;
                lossRandom = new Random(seed);
            }
        }

        /** Drops every frame this end transmits for which {@code filter} is true (it sees a read-only copy). */
        public void setDropFilter(Predicate<ByteBuffer> filter) {
            synchronized (lock) {
                dropFilter = filter;
            }
        }

        /** Shows every frame this end transmits, dropped or not, to {@code observer} (a read-only copy). */
        public void setTap(Consumer<ByteBuffer> observer) {
            synchronized (lock) {
                tap = observer;
            }
        }

        public long transmittedFrames() {
            synchronized (lock) {
                return transmitted;
            }
        }

        /** Frames this end transmitted that the link dropped. */
        public long droppedFrames() {
            synchronized (lock) {
                return dropped;
            }
        }

        @Override
        public String toString() {
            return "LinkPair.End[" + name + "]";
        }
    }
}
