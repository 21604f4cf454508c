package morgana.e2e.netstack;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Random;

/**
 * The host side of the UDP test, JDK only: sends one datagram of the given size to {@code address:7} (the
 * Linux stack fragments it over a 1500-byte link) and waits for it to come back whole. Prints {@code echoed
 * <bytes>} or {@code mismatch}. Arguments: address, size.
 */
public final class UdpRoundTrip {

    public static void main(String[] args) throws Exception {
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
}
