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
 * per connection, then {@code DONE}; each time counts from when that connection's request went out. Arguments:
 * host, port, N, seconds to wait at most, and optionally {@code summary}: then, for the thousands of connections
 * of {@code scripts/fuzz-live --flood idle}, one line instead of one per connection:
 * {@code idle summary connections=N closed=C stillOpen=S minMs=.. maxMs=.. openedMs=..} (openedMs: how long
 * opening them all took).
 */
public final class IdleClients {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        long limitMs = Long.parseLong(args[3]) * 1000;
        boolean summary = args.length > 4 && args[4].equals("summary");
        List<Socket> sockets = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long started = System.nanoTime();
        int closed = 0;
        long minMs = Long.MAX_VALUE;
        long maxMs = 0;
        try {
            for (int i = 0; i < n; i++) {
                var socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 5_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("GET /feed.xml HTTP/1.1\r\nHost: blog\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
                sentAt.add(System.nanoTime());
            }
            long openedMs = (System.nanoTime() - started) / 1_000_000;
            for (int i = 0; i < n; i++) {
                Socket socket = sockets.get(i);
                long afterMs = awaitClose(socket.getInputStream(), sentAt.get(i), limitMs);
                if (afterMs >= 0) {
                    closed++;
                    minMs = Math.min(minMs, afterMs);
                    maxMs = Math.max(maxMs, afterMs);
                }
                if (!summary) {
                    System.out.println("idle " + i + " port " + socket.getLocalPort() + " "
                            + (afterMs >= 0 ? "closed after " + afterMs + " ms" : "still open after " + limitMs + " ms"));
                }
            }
            if (summary) {
                System.out.println("idle summary connections=" + n + " closed=" + closed + " stillOpen=" + (n - closed)
                        + " minMs=" + (closed > 0 ? minMs : -1) + " maxMs=" + maxMs + " openedMs=" + openedMs);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        System.out.println("DONE");
    }

    /**
     * Reads the response and then waits for end of stream; returns the milliseconds from {@code sentAt} (when
     * the request went out) to the end of stream, or -1 if it is still open {@code limitMs} after.
     */
    private static long awaitClose(InputStream in, long sentAt, long limitMs) throws Exception {
        byte[] buffer = new byte[16 * 1024];
        while ((System.nanoTime() - sentAt) / 1_000_000 < limitMs) {
            try {
                if (in.read(buffer) < 0) {
                    return (System.nanoTime() - sentAt) / 1_000_000;
                }
            } catch (SocketTimeoutException stillOpen) {
                // keep waiting, up to the limit
            }
        }
        return -1;
    }
}
