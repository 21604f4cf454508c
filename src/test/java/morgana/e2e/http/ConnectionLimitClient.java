package morgana.e2e.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills a server's per-address connection limit with silent connections, then reports what happens to one
 * more ({@code extra connection: ...}) and to a new one after one of the first is closed
 * ({@code after one closed: <status line>}). Arguments: host, port, the limit. Everything within 2 s, so that
 * an idle timeout of 3 s or more does not interfere.
 */
public final class ConnectionLimitClient {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int limit = Integer.parseInt(args[2]);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                held.add(connect(host, port));
            }
            Thread.sleep(200); // the server has counted them all
            try (Socket extra = connect(host, port)) {
                System.out.println("extra connection: " + fate(extra));
            }
            held.removeFirst().close();
            Thread.sleep(300); // the server has seen it go
            try (Socket next = connect(host, port)) {
                next.getOutputStream().write("GET / HTTP/1.1\r\nHost: blog\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] head = next.getInputStream().readNBytes(15);
                System.out.println("after one closed: " + new String(head, StandardCharsets.ISO_8859_1));
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 2_000);
        socket.setSoTimeout(1_000);
        return socket;
    }

    private static String fate(Socket socket) throws IOException {
        try {
            int read = socket.getInputStream().read();
            return read < 0 ? "closed without a byte" : "got a byte";
        } catch (SocketTimeoutException e) {
            return "still open after 1 s";
        } catch (IOException e) {
            return "reset (" + e.getMessage() + ")";
        }
    }
}
