package morgana.netstack.netty;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.netstack.phy.Device;

/** A device that counts how often the loop sleeps on it and how often it is woken. */
final class CountingDevice implements Device {
    private final Device inner;
    final AtomicInteger waits = new AtomicInteger();
    final AtomicInteger wakeups = new AtomicInteger();

    CountingDevice(Device inner) {
        this.inner = inner;
    }

    @Override
    public boolean receive(ByteBuffer frame) {
        return inner.receive(frame);
    }

    @Override
    public void transmit(ByteBuffer frame) {
        inner.transmit(frame);
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public void awaitFrame(Duration timeout) throws InterruptedException {
        waits.incrementAndGet();
        inner.awaitFrame(timeout);
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
        inner.wakeup();
    }
}
