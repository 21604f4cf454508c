package morgana.e2e.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import morgana.e2e.ChildProcess;
import morgana.e2e.NetworkNamespace;

/**
 * Debian's nginx as a local stand-in for the load balancer, in a network namespace: an upstream of guests'
 * forwarded ports, each one in service or {@code down} (deregistered). A reload is graceful: the old worker
 * finishes the requests it has (connection draining) while the new one sends nothing to a guest marked down.
 * Its access log names the upstream each request went to.
 */
final class NginxBalancer implements AutoCloseable {
    private final NetworkNamespace ns;
    private final Path dir;
    private final int port;
    private final ChildProcess process;

    private NginxBalancer(NetworkNamespace ns, Path dir, int port, ChildProcess process) {
        this.ns = ns;
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** nginx on {@code port} in {@code ns}, forwarding to {@code upstreams} (guest port to in service). */
    static NginxBalancer start(NetworkNamespace ns, Path dir, int port, Map<Integer, Boolean> upstreams)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("nginx.conf"), config(dir, port, upstreams));
        ChildProcess process = ChildProcess.start("nginx", ns.inside(List.of("nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString(), "-g", "daemon off;")), dir, dir.resolve("nginx.out"));
        NginxBalancer balancer = new NginxBalancer(ns, dir, port, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(dir.resolve("nginx.pid")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!Files.exists(dir.resolve("nginx.pid"))) {
            throw new AssertionError("nginx did not start: " + process.report());
        }
        return balancer;
    }

    /** New upstreams, taken up gracefully: {@code nginx -s reload}. */
    void reload(Map<Integer, Boolean> upstreams) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("nginx.conf"), config(dir, port, upstreams));
        ns.exec(Duration.ofSeconds(10), "nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-s", "reload");
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The access log: one line per request, {@code status upstream_addr upstream_status}. */
    List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    String report() {
        return process.report() + "\nerror.log:\n" + read(dir.resolve("error.log"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Passive health checks (a guest failing once is left alone for 10 s) and a retry on the next guest for
     * a connection that fails: a request is lost only if no guest in service answers it.
     */
    private static String config(Path dir, int port, Map<Integer, Boolean> upstreams) {
        String servers = upstreams.entrySet().stream().map(e -> "    server 127.0.0.1:" + e.getKey()
                + " max_fails=1 fail_timeout=10s" + (e.getValue() ? "" : " down") + ";").collect(Collectors.joining("\n"));
        return """
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                  log_format fleet '$status $upstream_addr $upstream_status';
                  access_log %1$s/access.log fleet;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  upstream fleet {
                %2$s
                    keepalive 8;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://fleet;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_connect_timeout 2s;
                      proxy_read_timeout 20s;
                      proxy_next_upstream error timeout http_502 http_503 http_504;
                    }
                  }
                }
                """.formatted(dir, servers, port);
    }

    @Override
    public void close() {
        process.close();
    }
}
