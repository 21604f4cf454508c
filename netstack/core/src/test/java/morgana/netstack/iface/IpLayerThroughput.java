package morgana.netstack.iface;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import morgana.netstack.phy.Device;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.UdpRepr;

/**
 * A rough packets-per-second figure for the IP layer alone, not a JUnit test and not JMH (no JMH in the
 * build yet): parse + dispatch of a 64-byte ICMP echo (answered) and of a 1500-byte UDP datagram (queued
 * to a socket and taken), through a device that replays one frame and discards what is sent. Run with the
 * test classpath: {@code java -cp ... morgana.netstack.iface.IpLayerThroughput}.
 */
public final class IpLayerThroughput {

    static final MacAddress MAC = MacAddress.parse("52:54:00:00:00:02");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final Ipv4Address IP = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.1");

    /** Hands out the same frame {@code count} times, then nothing; counts and discards transmitted frames. */
    static final class Replay implements Device {
        final byte[] frame;
        long left;
        long sent;

        Replay(byte[] frame, long count) {
            this.frame = frame;
            this.left = count;
        }

        @Override
        public boolean receive(ByteBuffer into) {
            if (left == 0) {
                into.clear();
                return false;
            }
            left--;
            into.put(frame).flip();
            return true;
        }

        @Override
        public void transmit(ByteBuffer f) {
            sent++;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void awaitFrame(Duration timeout) {
        }

        @Override
        public void wakeup() {
        }
    }

    public static void main(String[] args) {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        // 64-byte ICMP echo: 14 + 20 + 8 + 22 bytes of data
        byte[] echo = TestFrames.icmp(PEER_MAC, MAC, PEER, IP, new Icmpv4Repr.EchoRequest(1, 1, new byte[22]));
        byte[] udp = TestFrames.udp(PEER_MAC, MAC, PEER, IP, new UdpRepr(5000, 7, new byte[1500 - 28]));
        for (int round = 0; round < 3; round++) {
            System.out.printf("round %d: echo %,.0f packets/s, udp-1500 %,.0f packets/s%n", round,
                    run(echo, count, false), run(udp, count / 2, true));
        }
    }

    private static double run(byte[] frame, long count, boolean udp) {
        NetworkStack stack = new NetworkStack(StackConfig.of(MAC, new Ipv4Cidr(IP, 24), null));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        stack.poll(now, new Replay(TestFrames.arp(PEER_MAC, MAC,
                new ArpRepr(ArpRepr.Operation.REPLY, PEER_MAC, PEER, MAC, IP)), 0));
        stack.arpCache().learn(PEER, PEER_MAC, now);
        UdpSocket socket = udp ? stack.bindUdp(7, 1_000_000) : null;
        long batch = 1000;
        long start = System.nanoTime();
        for (long done = 0; done < count; done += batch) {
            Replay device = new Replay(frame, batch);
            stack.poll(now, device);
            if (socket != null) {
                while (socket.receive() != null) {
                    // taken, as an application would
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (stack.stats().totalDrops() != 0) {
            throw new AssertionError("dropped: " + stack.stats());
        }
        return count / seconds;
    }
}
