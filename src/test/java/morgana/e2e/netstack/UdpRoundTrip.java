package morgana.e2e.netstack;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Random;

/**
 * The host side of the UDP test, JDK only: sends one datagram of the given size to {@code address:7} (the
 * Linux stack fragments it over a 1500-byte link) and waits for it to come back whole. Prints {@code echoed
 * <bytes>} or {@code mismatch}. Arguments: address, size; or address, port, {@code closed} to probe a closed
 * port.
 */
public final class UdpRoundTrip {

    public static void main(String[] args) throws Exception {
        if (args.length > 2 && args[2].equals("closed")) {
            probeClosedPort(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            return;
        }
        byte[] data = new byte[Integer.parseInt(args[1])];
        new Random(98).nextBytes(data);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            InetAddress target = InetAddress.getByName(args[0]);
            for (int attempt = 0; attempt < 5; attempt++) { // the first may wait on ARP
                socket.send(new DatagramPacket(data, data.length, target, 7));
                byte[] buf = new byte[65536];
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(reply);
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                }
                byte[] got = Arrays.copyOf(buf, reply.getLength());
                System.out.println(Arrays.equals(got, data) ? "echoed " + got.length : "mismatch " + got.length);
                return;
            }
            System.out.println("no reply");
        }
    }

    /**
     * Sends to a port nobody listens on from a connected socket: Linux matches the ICMP port unreachable to
     * the socket by the header it quotes, and Java reports it as {@link java.net.PortUnreachableException}.
     */
    private static void probeClosedPort(InetAddress target, int port) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(target, port);
            socket.setSoTimeout(1000);
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    socket.send(new DatagramPacket(new byte[10], 10));
                    socket.receive(new DatagramPacket(new byte[100], 100));
                    System.out.println("unexpected reply");
                    return;
                } catch (java.net.PortUnreachableException e) {
                    System.out.println("port unreachable");
                    return;
                } catch (java.net.SocketTimeoutException e) {
                    // the first datagram may have waited on ARP; try again
                }
            }
            System.out.println("no answer");
        }
    }
}
