package morgana.e2e.netstack;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import morgana.kernel.device.TapDevice;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.PcapWriter;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpListener;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * Morgana's side of the TCP tests, on a TAP device in the test's namespace, capturing the first 128 bytes of
 * every frame with {@link PcapWriter}. Arguments: tap, address/prefix, pcap path, seconds, then
 * {@code server <port> <bytes>} (read the pattern until the peer's FIN, then send {@code bytes} and close) or
 * {@code client <ip> <port> <bytes>} (send, half-close, read until the peer's FIN). Prints {@code ready},
 * {@code received <n> mismatches <m>}, {@code sent <n>}, {@code closed <state>} and {@code stats <...>}.
 */
public final class StackTcpPeer {

    private final NetworkStack stack;
    private final PcapWriter device;
    private final Instant end;
    private final byte[] buf = new byte[64 * 1024];

    private StackTcpPeer(NetworkStack stack, PcapWriter device, Instant end) {
        this.stack = stack;
        this.device = device;
        this.end = end;
    }

    public static void main(String[] args) throws Exception {
        StackConfig config = new StackConfig(MacAddress.parse("02:00:00:96:00:02"), Ipv4Cidr.parse(args[1]),
                Optional.empty(), 1500);
        try (TapDevice tap = TapDevice.open(args[0]);
                OutputStream file = new BufferedOutputStream(new FileOutputStream(args[2]), 1 << 20)) {
            PcapWriter device = new PcapWriter(tap, file, Instant::now, 128);
            NetworkStack stack = new NetworkStack(config);
            StackTcpPeer peer = new StackTcpPeer(stack, device, Instant.now().plusSeconds(Long.parseLong(args[3])));
            System.out.println("ready " + args[0]);
            if (args[4].equals("server")) {
                TcpListener listener = stack.listen(Integer.parseInt(args[5]));
                TcpConnection c = null;
                while (c == null && peer.alive()) {
                    peer.pollOnce();
                    c = listener.accept();
                }
                peer.receive(c);
                peer.send(c, Long.parseLong(args[6]));
                c.close();
                peer.finish(c);
            } else {
                TcpConnection c = stack.connect(Ipv4Address.parse(args[5]), Integer.parseInt(args[6]));
                while (c.state() != TcpState.ESTABLISHED && peer.alive()) {
                    peer.pollOnce();
                }
                peer.send(c, Long.parseLong(args[7]));
                c.shutdownOutput(); // half-close: we still read
                peer.receive(c);
                peer.finish(c);
            }
            device.flush();
            System.out.println("stats " + stack.stats());
        }
    }

    private boolean alive() {
        return Instant.now().isBefore(end);
    }

    private void pollOnce() throws InterruptedException {
        stack.poll(Instant.now(), device);
        Instant now = Instant.now();
        Instant at = stack.pollAt(now).orElse(now.plusMillis(50));
        long waitMillis = Math.min(50, Duration.between(now, at).toMillis());
        if (waitMillis > 0) {
            device.awaitFrame(Duration.ofMillis(waitMillis));
        }
    }

    private void receive(TcpConnection c) throws InterruptedException {
        long received = 0;
        long bad = 0;
        while (alive()) {
            int n = c.read(ByteBuffer.wrap(buf));
            if (n < 0) {
                break;
            }
            bad += TransferPattern.mismatches(buf, n, received);
            received += n;
            if (n == 0) {
                pollOnce();
            }
        }
        System.out.println("received " + received + " mismatches " + bad);
    }

    private void send(TcpConnection c, long bytes) throws InterruptedException {
        long sent = 0;
        int pending = 0;
        int at = 0;
        while (sent < bytes && alive()) {
            if (pending == 0) {
                pending = (int) Math.min(buf.length, bytes - sent);
                TransferPattern.fill(buf, pending, sent);
                at = 0;
            }
            int n = c.write(ByteBuffer.wrap(buf, at, pending));
            at += n;
            pending -= n;
            sent += n;
            if (n == 0) {
                pollOnce();
            }
        }
        System.out.println("sent " + sent);
    }

    /** Polls until the connection has sent its FIN and seen the peer's (TIME_WAIT or CLOSED), then a little more. */
    private void finish(TcpConnection c) throws InterruptedException {
        while (alive() && c.state() != TcpState.TIME_WAIT && c.state() != TcpState.CLOSED) {
            pollOnce();
        }
        System.out.println("closed " + c.state());
        Instant linger = Instant.now().plusSeconds(1);
        while (Instant.now().isBefore(linger)) {
            pollOnce();
        }
    }
}
