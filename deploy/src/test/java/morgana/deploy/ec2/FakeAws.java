package morgana.deploy.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * EC2, the EBS direct APIs and Route 53 on one local port, speaking their wire formats (EC2 Query with XML
 * answers, REST/JSON with binary block bodies, REST/XML) for the calls a deploy makes and no others. It
 * records every call and fails, or never answers, any call by name on demand.
 */
final class FakeAws implements AutoCloseable {

    /** One HTTP request, as the services read it. */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response of(int status, String contentType, String body) {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    /** A service: names the action a request calls, answers it, and words an error its clients parse. */
    interface Service {
        boolean serves(Request request);

        String action(Request request);

        Response handle(String action, Request request);

        Response error(int status, String code, String message);

        /** What the call log says about a call besides its action: the ids it named or made. */
        String detail(String action, Request request, Response response);
    }

    /** A call as the log shows it: the service, the action and what it was about. */
    record Call(String service, String action, String detail) {
        @Override
        public String toString() {
            return service + " " + action + (detail.isEmpty() ? "" : " " + detail);
        }
    }

    /**
     * FAIL: a 503 the SDK retries, then gives up on. HANG: no answer, the call is not carried out.
     * LOSE_ANSWER: the call is carried out, then no answer (a timeout that leaves the caller unsure).
     */
    enum Fault { FAIL, HANG, LOSE_ANSWER }

    /** A request the service refuses, with the status and error code the real one would give. */
    static final class ServiceError extends RuntimeException {
        final int status;
        final String code;

        ServiceError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** Actions that change something; a dry run must call none of them. */
    static final Set<String> MUTATING = Set.of("StartSnapshot", "PutSnapshotBlock", "CompleteSnapshot",
            "RegisterImage", "RunInstances", "TerminateInstances", "AssociateAddress", "DeregisterImage",
            "DeleteSnapshot", "CreateTags", "ChangeResourceRecordSets",
            "CreateLaunchTemplate", "CreateLaunchTemplateVersion", "ModifyLaunchTemplate",
            "CreateAutoScalingGroup", "UpdateAutoScalingGroup", "SetDesiredCapacity",
            "TerminateInstanceInAutoScalingGroup", "SuspendProcesses", "ResumeProcesses",
            "CreateTargetGroup", "ModifyTargetGroupAttributes", "CreateLoadBalancer", "CreateListener",
            "DeregisterTargets", "RegisterTargets",
            "CreateDistribution", "CreateDistributionWithTags", "UpdateDistribution", "CreateInvalidation",
            "CreateCachePolicy");

    final FakeCloud cloud = new FakeCloud();
    final FakeCloudFront cloudFront = new FakeCloudFront(cloud);
    private final List<Service> services;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private volatile CountDownLatch healed = new CountDownLatch(1);
    /** Told after each call is answered: where a test watches an invariant hold throughout. */
    volatile Runnable afterCall = () -> { };

    FakeAws() throws IOException {
        services = List.of(new FakeEbs(cloud), new FakeRoute53(cloud), new FakeEc2(cloud), new FakeAutoScaling(cloud),
                new FakeElb(cloud), cloudFront);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::exchange);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, every call of {@code action} fails (a 5xx the SDK retries, then gives up on) or hangs. */
    void inject(String action, Fault fault) {
        faults.put(action, fault);
    }

    /** Every call answers again; hanging calls are released (their clients have long given up). */
    void heal() {
        faults.clear();
        healed.countDown();
        healed = new CountDownLatch(1);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<String> actions() {
        return calls.stream().map(Call::action).toList();
    }

    long count(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).count();
    }

    void clearLog() {
        calls.clear();
    }

    /** The log with runs of the upload's blocks, and of identical calls (polls), folded into one line with a count. */
    List<String> foldedLog() {
        List<String> lines = new ArrayList<>();
        Call previous = null;
        int run = 0;
        for (Call call : calls) {
            if (previous != null && (previous.equals(call) || previous.action().equals(call.action())
                    && call.action().equals("PutSnapshotBlock"))) {
                run++;
                continue;
            }
            if (run > 0) {
                lines.set(lines.size() - 1, lines.getLast() + "   (x" + (run + 1) + ")");
            }
            run = 0;
            lines.add(call.toString());
            previous = call;
        }
        if (run > 0) {
            lines.set(lines.size() - 1, lines.getLast() + "   (x" + (run + 1) + ")");
        }
        return lines;
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery() == null ? "" : uri.getRawQuery(), exchange.getRequestHeaders(),
                    exchange.getRequestBody().readAllBytes());
            Service service = services.stream().filter(s -> s.serves(request)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no fake serves " + request.method() + " "
                            + request.path() + " " + new String(request.body(), StandardCharsets.UTF_8)));
            String action = service.action(request);
            String name = service.getClass().getSimpleName().replace("Fake", "").toLowerCase(java.util.Locale.ROOT);
            Response response;
            Fault fault = faults.get(action);
            if (fault == Fault.HANG) {
                calls.add(new Call(name, action, "(hangs)"));
                awaitHealed();
                return;
            } else if (fault == Fault.FAIL) {
                calls.add(new Call(name, action, "(fails: injected)"));
                response = service.error(503, "ServiceUnavailable", "injected failure of " + action);
            } else if (fault == Fault.LOSE_ANSWER) {
                try {
                    service.handle(action, request);
                } catch (RuntimeException e) {
                    // carried out or refused: either way the caller never hears
                }
                calls.add(new Call(name, action, "(done, answer lost)"));
                awaitHealed();
                return;
            } else {
                try {
                    response = service.handle(action, request);
                } catch (ServiceError e) {
                    response = service.error(e.status, e.code, e.getMessage());
                } catch (RuntimeException e) {
                    response = service.error(500, "InternalError", "the fake failed: " + e);
                }
                calls.add(new Call(name, action, service.detail(action, request, response)));
                afterCall.run();
            }
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", response.contentType());
            exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + calls.size());
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private void awaitHealed() {
        try {
            healed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        heal();
        server.stop(0);
        threads.shutdownNow();
    }
}
