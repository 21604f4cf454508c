package morgana.e2e.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Starts a request head and never finishes it: one more header byte every interval, for as long as the
 * connection lasts. Prints {@code closed after <ms> ms}, {@code answered ...} or {@code still open}, timed
 * from the first byte. Arguments: host, port, interval in milliseconds, seconds to try at most.
 */
public final class SlowlorisClient {

    public static void main(String[] args) throws Exception {
        int interval = Integer.parseInt(args[2]);
        long limitNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 5_000);
            socket.setSoTimeout(interval);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            out.write("GET / HTTP/1.1\r\nHost: blog\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            while (System.nanoTime() - start < limitNanos) {
                try {
                    int read = in.read();
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    System.out.println(read < 0 ? "closed after " + ms + " ms" : "answered after " + ms + " ms: " + (char) read);
                    return;
                } catch (SocketTimeoutException quiet) {
                    out.write('z');
                }
            }
            System.out.println("still open");
        }
    }
}
