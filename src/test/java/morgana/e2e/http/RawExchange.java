package morgana.e2e.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends raw bytes on a plain {@link Socket} and reads back what the server does: the responses (status
 * codes in order) and how the connection ended. Every wait is bounded: the server is "keeping it open"
 * when it has been quiet for {@link #QUIET_MS}, and nothing waits longer than {@link #LIMIT_MS} in all.
 */
final class RawExchange {

    static final int QUIET_MS = 700;
    static final int LIMIT_MS = 10_000;

    /** How the connection was after the responses. */
    enum End { CLOSED, OPEN, RESET }

    record Outcome(List<Integer> statuses, End end, String firstLine) {
        String summary() {
            return statuses + " " + end.name().toLowerCase(Locale.ROOT);
        }
    }

    private RawExchange() {}

    static Outcome send(String host, int port, NastyRequest request) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(QUIET_MS);
            socket.getOutputStream().write(request.raw().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            var received = new ByteArrayOutputStream();
            End end = read(socket.getInputStream(), received);
            byte[] bytes = received.toByteArray();
            return new Outcome(statuses(bytes, request.head()), end, firstLine(bytes));
        }
    }

    private static End read(InputStream in, ByteArrayOutputStream received) throws IOException {
        long deadline = System.nanoTime() + LIMIT_MS * 1_000_000L;
        byte[] buffer = new byte[16 * 1024];
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException quiet) {
                if (received.size() > 0) {
                    return End.OPEN;
                }
                continue; // nothing yet: keep waiting for a first answer until the limit
            } catch (SocketException reset) {
                return End.RESET;
            }
            if (n < 0) {
                return End.CLOSED;
            }
            received.write(buffer, 0, n);
        }
        return End.OPEN;
    }

    /** The status of every complete response in the bytes; HEAD, 1xx, 204 and 304 responses have no body. */
    static List<Integer> statuses(byte[] wire, boolean head) {
        var statuses = new ArrayList<Integer>();
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf("\r\n\r\n", at);
            if (end < 0) {
                statuses.add(-1); // a truncated head
                break;
            }
            String[] lines = text.substring(at, end).split("\r\n");
            String[] statusLine = lines[0].split(" ");
            int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
            statuses.add(status);
            long length = 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0 && lines[i].substring(0, colon).equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(lines[i].substring(colon + 1).strip());
                }
            }
            boolean bodiless = head || status / 100 == 1 || status == 204 || status == 304;
            at = end + 4 + (int) (bodiless ? 0 : length);
        }
        return statuses;
    }

    private static String firstLine(byte[] wire) {
        String text = new String(wire, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }
}
