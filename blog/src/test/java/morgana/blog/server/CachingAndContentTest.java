package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Validators, Cache-Control, ranges, content coding and the headers every response carries. */
class CachingAndContentTest {

    private static final String LAST_MODIFIED = "Sat, 14 Mar 2026 12:00:00 GMT";

    private ServerUnderTest server = new ServerUnderTest();

    @AfterEach
    void release() {
        server.close();
    }

    @Test
    void entriesCarryAStrongEtagLastModifiedAndAcceptRanges() {
        ServerUnderTest.Response response = server.get("/");

        assertThat(response.header("etag")).isEqualTo(BundleEntry.etagOf(ServerUnderTest.utf8(ServerUnderTest.INDEX)))
                .doesNotStartWith("W/");
        assertThat(response.header("last-modified")).isEqualTo(LAST_MODIFIED);
        assertThat(response.header("accept-ranges")).isEqualTo("bytes");
    }

    @Test
    void htmlIsCachedBrieflyFingerprintedAssetsForeverOthersForAnHour() {
        assertThat(server.get("/").header("cache-control")).isEqualTo("public, max-age=60");
        assertThat(server.get("/assets/app.3f9a1c2e.css").header("cache-control"))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(server.get("/images/plain.png").header("cache-control")).isEqualTo("public, max-age=3600");
        assertThat(server.get("/.well-known/morgana/health").header("cache-control")).isEqualTo("no-store");
    }

    @Test
    void ifModifiedSinceAtOrAfterLastModifiedGets304() {
        assertThat(server.get("/", "If-Modified-Since: " + LAST_MODIFIED).status()).isEqualTo(304);
        assertThat(server.get("/", "If-Modified-Since: Sat, 14 Mar 2026 13:00:00 GMT").status()).isEqualTo(304);
        assertThat(server.get("/", "If-Modified-Since: Sat, 14 Mar 2026 11:59:59 GMT").status()).isEqualTo(200);
        assertThat(server.get("/", "If-Modified-Since: not a date").status()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchDecidesWhenBothConditionsArePresent() {
        ServerUnderTest.Response response = server.get("/", "If-None-Match: \"other\"", "If-Modified-Since: " + LAST_MODIFIED);

        assertThat(response.status()).as("RFC 9110 §13.2.2: If-Modified-Since is ignored").isEqualTo(200);
    }

    @Test
    void notModifiedCarriesValidatorsCacheControlAndVaryButNoBody() {
        String etag = server.get("/").header("etag");

        ServerUnderTest.Response response = server.get("/", "If-None-Match: W/" + etag);

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("etag")).isEqualTo(etag);
        assertThat(response.header("last-modified")).isEqualTo(LAST_MODIFIED);
        assertThat(response.header("cache-control")).isEqualTo("public, max-age=60");
        assertThat(response.header("vary")).isEqualTo("accept-encoding");
        assertThat(response.header("content-length")).as("none, rather than a wrong one (RFC 9110 §8.6)").isNull();
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aSingleRangeGets206WithContentRange() {
        ServerUnderTest.Response response = server.get("/", "Range: bytes=2-5");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.text()).isEqualTo(ServerUnderTest.INDEX.substring(2, 6));
        assertThat(response.header("content-range")).isEqualTo("bytes 2-5/" + ServerUnderTest.INDEX.length());
        assertThat(response.header("content-length")).isEqualTo("4");
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void suffixAndOpenRangesAreClampedToTheRepresentation() {
        byte[] png = server.get("/images/plain.png").body();

        assertThat(server.get("/images/plain.png", "Range: bytes=-3").body()).isEqualTo(Arrays.copyOfRange(png, 7, 10));
        assertThat(server.get("/images/plain.png", "Range: bytes=8-").body()).isEqualTo(Arrays.copyOfRange(png, 8, 10));
        assertThat(server.get("/images/plain.png", "Range: bytes=8-1000").header("content-range")).isEqualTo("bytes 8-9/10");
    }

    @Test
    void aRangeBeyondTheEndGets416WithTheLength() {
        ServerUnderTest.Response response = server.get("/images/plain.png", "Range: bytes=10-");

        assertThat(response.status()).isEqualTo(416);
        assertThat(response.header("content-range")).isEqualTo("bytes */10");
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void aRangeOfTheGzipVariantIsARangeOfItsBytes() {
        ServerUnderTest.Response whole = server.get("/", "Accept-Encoding: gzip");
        ServerUnderTest.Response part = server.get("/", "Accept-Encoding: gzip", "Range: bytes=0-9");

        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("content-encoding")).isEqualTo("gzip");
        assertThat(part.header("etag")).isEqualTo(whole.header("etag"));
        assertThat(part.body()).isEqualTo(Arrays.copyOf(whole.body(), 10));
    }

    @Test
    void ifRangeWithAnotherValidatorGetsTheWholeRepresentation() {
        String etag = server.get("/").header("etag");

        assertThat(server.get("/", "Range: bytes=0-3", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(server.get("/", "Range: bytes=0-3", "If-Range: \"stale\"").status()).isEqualTo(200);
        assertThat(server.get("/", "Range: bytes=0-3", "If-Range: " + LAST_MODIFIED).status()).isEqualTo(200);
    }

    @Test
    void headIgnoresRange() {
        ServerUnderTest.Response response = server.send("HEAD / HTTP/1.1\r\nHost: b\r\nRange: bytes=0-3\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(ServerUnderTest.INDEX.length()));
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersAndNoServerBanner() {
        for (ServerUnderTest.Response response : new ServerUnderTest.Response[] {
                server.get("/"), server.get("/nope"), server.get("/posts/fin"), server.get("/", "Expect: x")}) {
            assertThat(response.header("content-security-policy")).isEqualTo(HttpServerConfig.DEFAULT_CONTENT_SECURITY_POLICY);
            assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(response.header("referrer-policy")).isEqualTo("strict-origin-when-cross-origin");
            assertThat(response.header("x-frame-options")).isEqualTo("DENY");
            assertThat(response.header("strict-transport-security")).as("only behind TLS").isNull();
            assertThat(response.header("server")).isNull();
            assertThat(response.header("date")).isEqualTo(LAST_MODIFIED);
        }
    }

    @Test
    void hstsIsSentWhenConfigured() {
        server.close();
        server = new ServerUnderTest(HttpServerConfig.defaults().withHsts("max-age=63072000"));

        assertThat(server.get("/").header("strict-transport-security")).isEqualTo("max-age=63072000");
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirectedKeepingTheEncodingOfThePath() {
        ServerUnderTest.Response response = server.get("/p%6Fsts/fin?utm=1");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("location")).isEqualTo("/p%6Fsts/fin/");
        assertThat(server.get("/posts/").status()).as("no index there").isEqualTo(404);
    }

    @Test
    void anAliasIsAPermanentRedirectToItsPostAndNeverShowsItsInternalType() {
        ServerUnderTest.Response get = server.get("/2013/09/fin.html");
        assertThat(get.status()).isEqualTo(301);
        assertThat(get.header("location")).isEqualTo("/posts/fin/");
        assertThat(get.header("content-type")).isNotEqualTo(ContentTypes.REDIRECT);

        ServerUnderTest.Response head = server.send("HEAD /2013/09/fin.html HTTP/1.1\r\nHost: blog\r\n\r\n");
        assertThat(head.status()).isEqualTo(301);
        assertThat(head.header("location")).isEqualTo("/posts/fin/");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void contentTypesCarryACharsetForText() {
        assertThat(server.get("/").header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(server.get("/assets/app.3f9a1c2e.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(server.get("/nope").header("content-type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void theNotFoundPageIsNotCachedForLongAndHasNoValidators() {
        ServerUnderTest.Response response = server.get("/nope");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("cache-control")).isEqualTo("public, max-age=60");
        assertThat(response.header("etag")).isNull();
        assertThat(SiteBundle.NOT_FOUND_PATH).isEqualTo("/404.html");
    }
}
