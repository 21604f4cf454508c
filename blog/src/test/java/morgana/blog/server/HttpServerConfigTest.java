package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpServerConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        HttpServerConfig config = HttpServerConfig.defaults();

        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxRequestLineLength()).isEqualTo(8192);
        assertThat(config.maxHeaderBytes()).isEqualTo(8192);
        assertThat(config.maxHeaderCount()).isEqualTo(100);
        assertThat(config.maxConnections()).isEqualTo(1024);
        assertThat(config.maxConnectionsPerIp()).isEqualTo(64);
        assertThat(config.hsts()).isEmpty();
    }

    @Test
    void withersChangeOneThing() {
        HttpServerConfig config = HttpServerConfig.defaults().withConnectionLimits(10, 2).withIdleTimeout(Duration.ofSeconds(3));

        assertThat(config.maxConnections()).isEqualTo(10);
        assertThat(config.maxConnectionsPerIp()).isEqualTo(2);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxHeaderCount()).isEqualTo(100);
    }

    @Test
    void lastModifiedIsWholeSecondsAsHttpDatesAre() {
        assertThat(HttpServerConfig.defaults().withLastModified(Instant.parse("2026-01-01T00:00:00.987Z")).lastModified())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> HttpServerConfig.defaults().withIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> HttpServerConfig.defaults().withConnectionLimits(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> HttpServerConfig.defaults().withHeaderLimits(8192, 8192, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxHeaderCount");
    }

    @Test
    void theOldConstructorsStillWork() {
        var plain = new BlogServerInitializer(ServerUnderTest.BUNDLE);
        var timed = new BlogServerInitializer(ServerUnderTest.BUNDLE, Duration.ofSeconds(5));
        var clocked = new BlogServerInitializer(ServerUnderTest.BUNDLE, Duration.ofSeconds(5), Clock.systemUTC());

        assertThat(plain.config().idleTimeout()).isEqualTo(BlogServerInitializer.DEFAULT_IDLE_TIMEOUT);
        assertThat(timed.config().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(clocked.bundle()).isSameAs(ServerUnderTest.BUNDLE);
    }
}
