package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Run by {@link TapDeviceTest} in a child JVM inside a network namespace: opens a TAP device and answers
 * ARP and ICMP echo for one address, printing what it sees. Arguments: interface name, IPv4 address, seconds
 * to run.
 */
public final class TapResponder {

    static final byte[] MAC = {0x02, 0x00, 0x00, 0x77, 0x00, 0x02};

    public static void main(String[] args) throws Exception {
        String name = args[0];
        byte[] ip = java.net.InetAddress.getByName(args[1]).getAddress();
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        try (TapDevice tap = TapDevice.open(name)) {
            System.out.println("wakeup-ms " + millisUntilWoken(tap));
            System.out.println("ready " + tap.name() + " mtu " + tap.mtu());
            ByteBuffer frame = ByteBuffer.allocate(tap.mtu() + 18);
            int answered = 0;
            while (System.nanoTime() < deadline) {
                tap.awaitFrame(Duration.ofMillis(200));
                while (tap.receive(frame)) {
                    var arp = TestFrames.arpReply(frame, MAC, ip);
                    if (arp.isPresent()) {
                        System.out.println("arp who-has " + args[1] + " from "
                                + HexFormat.ofDelimiter(":").formatHex(TestFrames.bytes(frame, 6, 6)));
                        tap.transmit(arp.get());
                        answered++;
                    }
                    var echo = TestFrames.echoReply(frame, ip);
                    if (echo.isPresent()) {
                        System.out.println("echo request seq " + TestFrames.echoSequence(frame));
                        tap.transmit(echo.get());
                        answered++;
                    }
                    frame.clear();
                }
                System.out.flush();
            }
            System.out.println("answered " + answered + " dropped " + tap.droppedOnTransmit());
        }
    }

    /** How long an awaitFrame of 10 s lasts when another thread calls wakeup after 100 ms. */
    private static long millisUntilWoken(TapDevice tap) throws InterruptedException {
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
                tap.wakeup();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        tap.awaitFrame(Duration.ofSeconds(10));
        long millis = (System.nanoTime() - start) / 1_000_000;
        waker.join();
        return millis;
    }
}
