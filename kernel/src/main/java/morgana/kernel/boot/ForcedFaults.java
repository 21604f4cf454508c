package morgana.kernel.boot;

import java.util.ArrayList;
import java.util.List;
import morgana.kernel.boot.GuestPolicy.ForcedFault;

/**
 * The failures a test manifest ({@code test.fault}) asks PID 1 to cause once it serves, so that boot tests
 * can watch each fatal path end to end: the report on the console, then the power-off.
 */
final class ForcedFaults {

    private ForcedFaults() {
    }

    static void provoke(ForcedFault fault, Serving serving, Console console) {
        console.always("test.fault=" + fault.word() + ": provoking it now, as the manifest asks");
        switch (fault) {
            case OOM -> Thread.ofPlatform().name("morgana-test-fault").start(ForcedFaults::exhaustTheHeap);
            case EXCEPTION -> Thread.ofPlatform().name("morgana-test-fault").start(() -> {
                throw new IllegalStateException("test.fault=exception: an exception nobody catches");
            });
            case STALL -> serving.execute(ForcedFaults::neverReturn);
        }
    }

    /** Allocates until the heap is gone; the arrays die with this thread's frame, so the report has room. */
    private static void exhaustTheHeap() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 20]);
        }
    }

    private static void neverReturn() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // a stalled loop stays stalled: that is the fault
            }
        }
    }
}
