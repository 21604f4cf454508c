package morgana.unikernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import morgana.blog.bundle.SiteBundle;

/**
 * The training run for the guest's AOT cache (JEP 483): the image builder runs it once, with the guest's
 * runtime, class path and JVM options, so that the classes the server loads and links for its first
 * requests are in the cache and the guest's JVM maps them instead of loading them under emulation.
 *
 * <p>It serves the real bundle with the real HTTP pipeline, over the host's loopback (the guest's own stack
 * needs a NIC, which the build host does not give), asks for every page twice (plain and gzip), and exits.
 * Arguments: the bundle's path.
 */
public final class TrainingMain {

    private TrainingMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:00:00:01");
        }
        SiteBundle bundle = SiteBundle.readFrom(Path.of(args.length > 0 ? args[0] : "/morgana/site.bundle"));
        int requests = 0;
        try (HostServer server = HostServer.startOnSockets(bundle, new InetSocketAddress("127.0.0.1", 0))) {
            for (String path : bundle.byPath().keySet()) {
                for (String encoding : new String[] {"identity", "gzip"}) {
                    fetch(server.localAddress(), path, encoding);
                    requests++;
                }
            }
            fetch(server.localAddress(), "/no-such-page/", "identity");
            requests++;
        }
        System.out.println("morgana training: " + requests + " requests over " + bundle.size() + " pages");
        System.exit(0); // the event loop threads are daemons or gone; exit now rather than wait for stragglers
    }

    /** One HTTP/1.1 request on its own connection, read to the end (the server closes after it). */
    private static void fetch(InetSocketAddress server, String path, String encoding) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: training\r\nAccept-Encoding: " + encoding
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }
}
