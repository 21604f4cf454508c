package morgana.deploy.ec2;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;

/**
 * Checks that a server serves exactly a bundle: its health endpoint answers the bundle hash, and every
 * entry's body has the SHA-256 the bundle says (its entity tag). Bodies are asked for without
 * Accept-Encoding, so they come as stored.
 */
public final class SiteVerifier {
    /** The blog server's health endpoint: it answers the hash of the bundle it serves. */
    public static final String HEALTH_PATH = "/.well-known/morgana/health";

    private final HttpClient http;
    private final Duration requestTimeout;

    public SiteVerifier(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What a check found: empty when the server serves the bundle. */
    public record Report(URI base, int checked, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    /** What the health endpoint says: the bundle served, another status, or no answer at all (still booting). */
    public sealed interface Health {
        record Serving(String bundleHash) implements Health {
        }

        record Status(int code) implements Health {
        }

        record Unreachable(String reason) implements Health {
        }

        default String describe() {
            return switch (this) {
                case Serving s -> "serves bundle " + s.bundleHash();
                case Status s -> "answers " + s.code();
                case Unreachable u -> "no answer (" + u.reason() + ")";
            };
        }
    }

    public Health health(URI base) {
        try {
            HttpResponse<String> r = http.send(request(base, HEALTH_PATH), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new Health.Serving(r.body().strip()) : new Health.Status(r.statusCode());
        } catch (IOException e) {
            return new Health.Unreachable(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while verifying " + base, e);
        }
    }

    /** Compares every page of {@code bundle} as {@code base} serves it. */
    public Report verify(URI base, SiteBundle bundle) {
        List<String> problems = new ArrayList<>();
        Health health = health(base);
        if (!health.equals(new Health.Serving(bundle.bundleHash()))) {
            problems.add(HEALTH_PATH + ": " + health.describe() + ", expected bundle " + bundle.bundleHash());
        }
        int checked = 0;
        for (BundleEntry entry : bundle.entries()) {
            checked++;
            check(base, entry).ifPresent(problems::add);
        }
        return new Report(base, checked, List.copyOf(problems));
    }

    /** Only the health endpoint, against a hash: for an image whose bundle is not at hand (a rollback). */
    public Report verifyHealth(URI base, String bundleHash) {
        Health health = health(base);
        List<String> problems = health.equals(new Health.Serving(bundleHash)) ? List.of()
                : List.of(HEALTH_PATH + ": " + health.describe() + ", expected bundle " + bundleHash);
        return new Report(base, 1, problems);
    }

    private Optional<String> check(URI base, BundleEntry entry) {
        try {
            HttpResponse<byte[]> r = http.send(request(base, entry.path()), HttpResponse.BodyHandlers.ofByteArray());
            if (entry.contentType().equals(ContentTypes.REDIRECT)) {
                String target = new String(entry.body(), StandardCharsets.UTF_8);
                boolean redirects = r.statusCode() == 301
                        && r.headers().firstValue("location").filter(target::equals).isPresent();
                return redirects ? Optional.empty()
                        : Optional.of(entry.path() + ": expected a 301 to " + target + ", got " + r.statusCode());
            }
            if (r.statusCode() != 200) {
                return Optional.of(entry.path() + ": status " + r.statusCode());
            }
            String etag = BundleEntry.etagOf(r.body());
            return etag.equals(entry.etag()) ? Optional.empty()
                    : Optional.of(entry.path() + ": content hash " + etag + ", expected " + entry.etag());
        } catch (IOException e) {
            return Optional.of(entry.path() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while verifying " + base, e);
        }
    }

    private HttpRequest request(URI base, String path) {
        try {
            // The multi-argument constructor quotes what a path may not carry raw (spaces, non-ASCII).
            URI uri = new URI(base.getScheme(), null, base.getHost(), base.getPort(), path, null, null);
            return HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        } catch (java.net.URISyntaxException e) {
            throw new DeployException("cannot make a URL of " + base + " and " + path, e);
        }
    }
}
