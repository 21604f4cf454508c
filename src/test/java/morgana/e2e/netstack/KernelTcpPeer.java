package morgana.e2e.netstack;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The Linux side of the TCP tests, JDK sockets only. {@code server <port> <bytes>}: accepts one connection,
 * reads the pattern until the peer's FIN, then sends {@code bytes} of it and closes. {@code client <ip> <port>
 * <bytes>}: connects, sends {@code bytes}, half-closes (shutdownOutput), reads until the peer's FIN. Both print
 * {@code received <n> mismatches <m>}.
 */
public final class KernelTcpPeer {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            try (ServerSocket server = new ServerSocket()) {
                server.setReceiveBufferSize(1 << 20);
                server.bind(new InetSocketAddress(Integer.parseInt(args[1])));
                System.out.println("listening");
                try (Socket s = server.accept()) {
                    receive(s.getInputStream());
                    send(s.getOutputStream(), Long.parseLong(args[2]));
                    s.shutdownOutput();
                    s.getInputStream().read(); // the peer's FIN came before; this returns -1 at once
                }
            }
        } else {
            try (Socket s = connect(args[1], Integer.parseInt(args[2]))) {
                send(s.getOutputStream(), Long.parseLong(args[3]));
                s.shutdownOutput(); // half-close: we still read
                receive(s.getInputStream());
            }
        }
    }

    private static Socket connect(String host, int port) throws Exception {
        for (int attempt = 0; ; attempt++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(1 << 20);
            try {
                s.connect(new InetSocketAddress(host, port), 5000);
                return s;
            } catch (ConnectException e) {
                s.close();
                if (attempt > 50) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    static void send(OutputStream out, long bytes) throws Exception {
        byte[] buf = new byte[64 * 1024];
        for (long sent = 0; sent < bytes; ) {
            int n = (int) Math.min(buf.length, bytes - sent);
            TransferPattern.fill(buf, n, sent);
            out.write(buf, 0, n);
            sent += n;
        }
        out.flush();
        System.out.println("sent " + bytes);
    }

    static void receive(InputStream in) throws Exception {
        byte[] buf = new byte[64 * 1024];
        long received = 0;
        long bad = 0;
        for (int n; (n = in.read(buf)) != -1; ) {
            bad += TransferPattern.mismatches(buf, n, received);
            received += n;
        }
        System.out.println("received " + received + " mismatches " + bad);
    }
}
