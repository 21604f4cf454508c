package morgana.kernel.boot;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import morgana.kernel.loop.StackRunner;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.Device;

/** What PID 1 serves, once started: the stack and the application on it, seen from outside the event loop. */
public interface Serving {

    /** Starts the stack and the application on a device. */
    @FunctionalInterface
    interface Server {
        Serving start(Device device, StackConfig config, List<Integer> ports, ChannelInitializer<Channel> application)
                throws InterruptedException;
    }

    /** The configuration in force once the stack has an address (at once if static); empty after {@code timeout}. */
    Optional<StackConfig> awaitAddress(Duration timeout) throws InterruptedException;

    /** True if the event loop runs a task within {@code timeout}: what the watchdog asks. */
    boolean answers(Duration timeout);

    /** The stack's counters in one line; empty if the loop does not answer within {@code timeout}. */
    Optional<String> counters(Duration timeout);

    /** Stops accepting and lets open connections finish, up to {@code timeout} ({@link StackRunner#drain}). */
    StackRunner.Drain drain(Duration timeout) throws InterruptedException;

    /** Runs {@code task} on the event loop, without waiting for it. */
    void execute(Runnable task);

    /** Calls {@code action} if the event loop ever stops. */
    void onTermination(Runnable action);

    /** Stops the event loop (bounded). */
    void stop();

    /** The real thing: a {@link StackRunner} on the system clock. */
    static Serving start(Device device, StackConfig config, List<Integer> ports, ChannelInitializer<Channel> application)
            throws InterruptedException {
        StackRunner runner = StackRunner.start(device, config, ports, application, Clock.systemUTC());
        return new Serving() {
            @Override
            public Optional<StackConfig> awaitAddress(Duration timeout) throws InterruptedException {
                return runner.awaitAddress(timeout);
            }

            @Override
            public boolean answers(Duration timeout) {
                return runner.onLoop(() -> Boolean.TRUE, timeout).isPresent();
            }

            @Override
            public Optional<String> counters(Duration timeout) {
                return runner.counters(timeout);
            }

            @Override
            public StackRunner.Drain drain(Duration timeout) throws InterruptedException {
                return runner.drain(timeout);
            }

            @Override
            public void execute(Runnable task) {
                runner.loop().next().execute(task);
            }

            @Override
            public void onTermination(Runnable action) {
                runner.terminationFuture().addListener(f -> action.run());
            }

            @Override
            public void stop() {
                runner.close();
            }
        };
    }
}
