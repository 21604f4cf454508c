package morgana.netstack.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.phy.Device;
import morgana.netstack.phy.FaultInjector;
import morgana.netstack.phy.LinkPair;

/**
 * Runs stacks joined by {@link LinkPair}s on a virtual clock: polls every stack until no frame is in flight
 * and nobody has work due now, then jumps the clock to the earliest {@code pollAt}. A lossy ten-minute
 * transfer replays in milliseconds, the same way every time.
 *
 * <pre>{@code
 * LinkPair link = new LinkPair();
 * Simulator sim = new Simulator(Instant.parse("2026-01-01T00:00:00Z"));
 * sim.attach(client, link.a());
 * sim.attach(server, link.b());
 * TcpConnection c = client.connect(serverIp, 80);
 * sim.runUntil(() -> c.state() == TcpState.ESTABLISHED, Duration.ofSeconds(10));
 * }</pre>
 */
public final class Simulator {

    /** Polls at one instant before the simulator decides the stacks livelock. */
    static final int MAX_POLLS_PER_INSTANT = 100_000;

    /** A stack, the device it polls, the link end beneath (for frames in flight) and the faults between, if any. */
    private record Host(NetworkStack stack, Device device, LinkPair.End end, FaultInjector faults) {
    }

    private final List<Host> hosts = new ArrayList<>();
    private Instant now;

    public Simulator(Instant start) {
        this.now = start;
    }

    public Simulator attach(NetworkStack stack, LinkPair.End device) {
        hosts.add(new Host(stack, device, device, null));
        return this;
    }

    /**
     * Attaches a stack that sends through {@code faults}, which wraps {@code end} (give it this simulator's
     * {@link #now} as its clock). The simulator wakes up when held-back frames are due.
     */
    public Simulator attach(NetworkStack stack, LinkPair.End end, FaultInjector faults) {
        hosts.add(new Host(stack, faults, end, faults));
        return this;
    }

    /**
     * Attaches a stack that polls {@code device}, a middleware (such as a {@link morgana.netstack.phy.PcapWriter})
     * over {@code end}.
     */
    public Simulator attach(NetworkStack stack, LinkPair.End end, Device device) {
        if (device instanceof FaultInjector faults) {
            return attach(stack, end, faults);
        }
        hosts.add(new Host(stack, device, end, null));
        return this;
    }

    public Instant now() {
        return now;
    }

    /** Moves the clock forward without polling. */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Polls every stack once at the current time. */
    public void pollAll() {
        for (Host h : hosts) {
            h.stack.poll(now, h.device);
        }
    }

    /**
     * Polls and advances virtual time until {@code done} holds (it is asked after every round of polls, so it
     * may also act: read, write, close), the stacks go idle, or {@code limit} of virtual time passes.
     * Returns whether {@code done} held.
     *
     * @throws IllegalStateException when the stacks keep asking for a poll at the same instant (a livelock)
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        Instant deadline = now.plus(limit);
        int pollsHere = 0;
        while (true) {
            pollAll();
            if (done.getAsBoolean()) {
                return true;
            }
            if (++pollsHere > MAX_POLLS_PER_INSTANT) {
                throw new IllegalStateException("the stacks still want a poll at " + now + " after "
                        + MAX_POLLS_PER_INSTANT + " rounds: a livelock");
            }
            if (framesInFlight() > 0) {
                continue;
            }
            Optional<Instant> next = nextPollAt();
            if (next.isEmpty()) {
                return done.getAsBoolean(); // idle: only a frame could wake anyone, and none is coming
            }
            if (!next.get().isAfter(now)) {
                continue;
            }
            if (next.get().isAfter(deadline)) {
                now = deadline;
                pollAll();
                return done.getAsBoolean();
            }
            now = next.get();
            pollsHere = 0;
        }
    }

    /** Runs until nothing is pending at all, or {@code limit} passes; returns whether it went idle. */
    public boolean runUntilIdle(Duration limit) {
        Instant deadline = now.plus(limit);
        runUntil(() -> false, limit);
        return now.isBefore(deadline) || nextPollAt().isEmpty();
    }

    private int framesInFlight() {
        int n = 0;
        for (Host h : hosts) {
            n += h.end.pending();
        }
        return n;
    }

    private Optional<Instant> nextPollAt() {
        Instant earliest = null;
        for (Host h : hosts) {
            Optional<Instant> at = h.stack.pollAt(now);
            if (at.isPresent() && (earliest == null || at.get().isBefore(earliest))) {
                earliest = at.get();
            }
            Optional<Instant> release = h.faults == null ? Optional.empty() : h.faults.nextRelease();
            if (release.isPresent() && (earliest == null || release.get().isBefore(earliest))) {
                earliest = release.get().isBefore(now) ? now : release.get();
            }
        }
        return Optional.ofNullable(earliest);
    }
}
