package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.Test;

/** The verifier against the real blog server over loopback TCP. */
class SiteVerifierTest {
    private final SiteVerifier verifier = new SiteVerifier(Duration.ofSeconds(5));

    @Test
    void theServerOfTheBundlePassesOnEveryPageRedirectsIncluded() throws Exception {
        SiteBundle bundle = SiteFixtures.exampleBundle();
        try (DeployRig rig = new DeployRig()) {
            rig.serve("127.0.0.3", bundle);

            SiteVerifier.Report report = verifier.verify(PublicAddress.http("127.0.0.3", rig.port), bundle);

            assertThat(report.problems()).isEmpty();
            assertThat(report.checked()).isEqualTo(bundle.size());
            assertThat(bundle.entries()).as("the example has an alias").anyMatch(e -> e.contentType()
                    .equals(ContentTypes.REDIRECT));
        }
    }

    @Test
    void aPageThatDiffersIsNamedWithBothHashes() throws Exception {
        SiteBundle bundle = SiteFixtures.exampleBundle();
        List<BundleEntry> changed = new ArrayList<>(bundle.entries());
        changed.replaceAll(e -> e.path().equals("/index.html")
                ? BundleEntry.of(e.path(), e.contentType(), "<p>edited on the server".getBytes(StandardCharsets.UTF_8))
                : e);
        try (DeployRig rig = new DeployRig()) {
            rig.serve("127.0.0.3", SiteBundle.of(changed));

            SiteVerifier.Report report = verifier.verify(PublicAddress.http("127.0.0.3", rig.port), bundle);

            assertThat(report.problems()).hasSize(2);
            assertThat(report.problems().getFirst()).startsWith(SiteVerifier.HEALTH_PATH + ": serves bundle ");
            assertThat(report.problems().get(1)).startsWith("/index.html: content hash \"")
                    .endsWith("expected " + bundle.get("/index.html").orElseThrow().etag());
        }
    }

    @Test
    void aServerWithoutTheHealthEndpointIsTold404AndOneThatIsDownUnreachable() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.5", 0), 0);
        other.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        other.start();
        try {
            URI base = URI.create("http://127.0.0.5:" + other.getAddress().getPort() + "/");
            assertThat(verifier.health(base)).isEqualTo(new SiteVerifier.Health.Status(404));
        } finally {
            other.stop(0);
        }
        assertThat(verifier.health(URI.create("http://127.0.0.5:9/"))).isInstanceOf(SiteVerifier.Health.Unreachable.class);
    }
}
