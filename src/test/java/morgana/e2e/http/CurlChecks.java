package morgana.e2e.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import morgana.e2e.ExampleBlog;

/** The same curl conversations in both network modes; {@code shell} runs a command and returns its output. */
final class CurlChecks {

    interface Shell {
        String run(String... command) throws Exception;
    }

    private CurlChecks() {}

    static void check(Shell shell, String base) throws Exception {
        String title = ExampleBlog.siteTitle();

        String http10 = curl(shell, "--http1.0", "-i", base + "/");
        assertThat(http10).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").contains(title);

        String http11 = curl(shell, "--http1.1", "-i", base + "/");
        assertThat(http11).startsWith("HTTP/1.1 200").containsIgnoringCase("etag: \"")
                .containsIgnoringCase("last-modified: ").containsIgnoringCase("cache-control: public, max-age=60")
                .containsIgnoringCase("content-security-policy: ").containsIgnoringCase("x-content-type-options: nosniff")
                .doesNotContainIgnoringCase("\nserver:").contains(title);

        String range = curl(shell, "-i", "-r", "0-14", base + "/");
        assertThat(range).startsWith("HTTP/1.1 206").containsIgnoringCase("content-range: bytes 0-14/")
                .endsWith("<!doctype html>");

        // Debian's curl offers gzip, br and zstd. A page this small has no zstd variant (zstd came out larger than
        // gzip on such pages, BundleEntry.ZSTD_FROM), so the answer is gzip, which curl decodes.
        String compressed = curl(shell, "--compressed", "-i", base + "/");
        assertThat(compressed).containsIgnoringCase("content-encoding: gzip")
                .containsIgnoringCase("vary: accept-encoding").contains(title);
        String gzipOnly = curl(shell, "--compressed", "-H", "Accept-Encoding: gzip", "-i", base + "/");
        assertThat(gzipOnly).containsIgnoringCase("content-encoding: gzip").contains(title);

        String notModified = curl(shell, "-i", "-H", "If-None-Match: " + etag(http11), base + "/");
        assertThat(notModified).startsWith("HTTP/1.1 304");

        String twoOnOneConnection = curl(shell, "--http1.1", "-v", base + "/", base + "/feed.xml");
        assertThat(twoOnOneConnection).contains("Re-using existing").contains("</feed>");
    }

    private static String etag(String response) {
        for (String line : response.split("\r\n")) {
            if (line.toLowerCase().startsWith("etag:")) {
                return line.substring(5).strip();
            }
        }
        throw new AssertionError("no etag in\n" + response);
    }

    private static String curl(Shell shell, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-m", "10"));
        command.addAll(List.of(args));
        return shell.run(command.toArray(String[]::new));
    }
}
