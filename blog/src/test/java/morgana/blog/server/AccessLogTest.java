package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    /** A clock the test moves. */
    private static final class SteppedClock extends Clock {
        Instant now = Instant.parse("2026-03-14T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final List<String> lines = new ArrayList<>();
    private final SteppedClock clock = new SteppedClock();
    private final HttpStats stats = new HttpStats();
    private final InetSocketAddress client = new InetSocketAddress("192.0.2.7", 51000);

    private AccessLog log(double perSecond, int burst) {
        return new AccessLog(HttpServerConfig.defaults().withClock(clock).withAccessLog(lines::add, perSecond, burst), stats);
    }

    @Test
    void writesCommonLogFormat() {
        log(10, 10).log(client, "GET /posts/fin/ HTTP/1.1", 200, 1234);

        assertThat(lines).containsExactly("192.0.2.7 - - [14/Mar/2026:12:00:00 +0000] \"GET /posts/fin/ HTTP/1.1\" 200 1234");
    }

    @Test
    void writesADashForNoBytesAndEscapesWhatCouldForgeALine() {
        log(10, 10).log(client, "GET /\"x\r\n1.2.3.4 - - fake HTTP/1.1", 304, 0);

        assertThat(lines.getFirst()).isEqualTo(
                "192.0.2.7 - - [14/Mar/2026:12:00:00 +0000] \"GET /\\x22x\\x0d\\x0a1.2.3.4 - - fake HTTP/1.1\" 304 -");
    }

    @Test
    void keepsToTheRateAndSaysHowManyLinesItSuppressed() {
        AccessLog log = log(1, 3);
        for (int i = 0; i < 5; i++) {
            log.log(client, "GET /" + i + " HTTP/1.1", 200, 1);
        }
        assertThat(lines).hasSize(3);
        assertThat(stats.accessLogLinesSuppressed()).isEqualTo(2);

        clock.now = clock.now.plus(Duration.ofSeconds(2));
        log.log(client, "GET /later HTTP/1.1", 200, 1);

        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).isEqualTo("access log: 2 lines suppressed by the rate limit");
        assertThat(lines.get(4)).contains("GET /later");
    }

    @Test
    void logsEveryResponseOfTheServerWithItsStatus() {
        try (var server = new ServerUnderTest()) {
            server.get("/");
            server.get("/nope");
            server.send("GET /%00 HTTP/1.1\r\nHost: b\r\n\r\n");

            assertThat(server.log).hasSize(3);
            assertThat(server.log.get(0)).matches("- - - \\[14/Mar/2026:12:00:00 \\+0000] \"GET / HTTP/1.1\" 200 \\d+");
            assertThat(server.log.get(1)).contains("\"GET /nope HTTP/1.1\" 404 ");
            assertThat(server.log.get(2)).contains("\"GET /%00 HTTP/1.1\" 400 ");
            assertThat(server.initializer.stats().responsesByStatus()).containsEntry(200, 1L).containsEntry(404, 1L)
                    .containsEntry(400, 1L).hasSize(3);
            assertThat(server.initializer.stats().responses(200)).isEqualTo(1);
        }
    }
}
