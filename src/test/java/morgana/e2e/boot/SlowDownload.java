package morgana.e2e.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP/1.1 GET read slowly from a small receive window, so that the server is still sending when the test
 * does something else (such as shutting the guest down) and the response must still arrive whole.
 */
final class SlowDownload implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private SlowDownload(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends the request; the answer is read by {@link #read}. */
    static SlowDownload start(int port, String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024); // before connect: it sets the window offered in the SYN
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(60_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new SlowDownload(socket);
    }

    /** Reads at most {@code bytes} more, {@code chunk} at a time with {@code pauseMillis} between; false at the end. */
    boolean read(long bytes, int chunk, long pauseMillis) throws IOException, InterruptedException {
        byte[] buffer = new byte[chunk];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(chunk, left));
            if (n < 0) {
                return false;
            }
            received.write(buffer, 0, n);
            left -= n;
            Thread.sleep(pauseMillis);
        }
        return true;
    }

    long receivedBytes() {
        return received.size();
    }

    String headers() {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    String body() {
        String text = received.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? "" : text.substring(end + 4);
    }

    long bodyBytes() {
        String head = headers();
        return received.size() - head.getBytes(StandardCharsets.ISO_8859_1).length - 4;
    }

    long contentLength() {
        for (String line : headers().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
