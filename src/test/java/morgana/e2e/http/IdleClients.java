package morgana.e2e.http;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections, asks each for one page, then leaves them idle and waits for the server
 * to close each one. Prints {@code idle <i> port <local port> closed after <ms>} or {@code idle <i> ... still open}
 * per connection, then {@code DONE}. Arguments: host, port, N, seconds to wait at most.
 */
public final class IdleClients {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        long limitMs = Long.parseLong(args[3]) * 1000;
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                var socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 5_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("GET /feed.xml HTTP/1.1\r\nHost: blog\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            long idleSince = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Socket socket = sockets.get(i);
                String verdict = awaitClose(socket.getInputStream(), socket, idleSince, limitMs);
                System.out.println("idle " + i + " port " + socket.getLocalPort() + " " + verdict);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        System.out.println("DONE");
    }

    /** Reads the response and then waits for end of stream; the time is from when all requests were sent. */
    private static String awaitClose(InputStream in, Socket socket, long since, long limitMs) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while ((System.nanoTime() - since) / 1_000_000 < limitMs) {
            try {
                int read = in.read(buffer);
                if (read < 0) {
                    return "closed after " + (System.nanoTime() - since) / 1_000_000 + " ms (" + total + " bytes)";
                }
                total += read;
            } catch (SocketTimeoutException stillOpen) {
                // keep waiting, up to the limit
            }
        }
        return "still open after " + limitMs + " ms (" + total + " bytes)";
    }
}
