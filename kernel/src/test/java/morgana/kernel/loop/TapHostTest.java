package morgana.kernel.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import morgana.kernel.testing.ChildJvm;
import morgana.kernel.testing.NetworkNamespace;
import org.junit.jupiter.api.Test;

/**
 * The whole kernel loop on a developer's host: a TAP in a throwaway namespace, our stack behind it, a
 * Netty pipeline served through the StackRunner, and Linux's own ping and TCP as the client.
 */
class TapHostTest {

    @Test
    void servesAPipelineOverOurStackOnATap() throws Exception {
        try (var ns = NetworkNamespace.create();
                var host = ChildJvm.start(ns, TapEchoHost.class, "mtap1", "10.78.0.2/24", "7", "3")) {
            host.awaitLine(l -> l.startsWith("serving "), Duration.ofSeconds(20));
            assertThat(host.output()).contains("serving 10.78.0.2:7 on mtap1");
            ns.ip("addr", "add", "10.78.0.1/24", "dev", "mtap1");
            ns.ip("link", "set", "mtap1", "up");

            var ping = ns.run(Duration.ofSeconds(20), "ping", "-c", "2", "-W", "2", "10.78.0.2");
            assertThat(ping.output()).as("host printed:%n%s", host.output()).contains("2 packets transmitted, 2 received");

            var tcp = ns.run(Duration.ofSeconds(20), "bash", "-c",
                    "exec 3<>/dev/tcp/10.78.0.2/7 && printf 'hello morgana' >&3 && timeout 5 head -c 13 <&3");
            assertThat(tcp.output()).as("host printed:%n%s", host.output()).isEqualTo("HELLO MORGANA");
            assertThat(tcp.exitCode()).isZero();

            host.awaitLine("stopped"::equals, Duration.ofSeconds(20));
            assertThat(ns.ip("-o", "link", "show")).doesNotContain("mtap1"); // closing the runner closed the TAP
        }
    }

    @Test
    void rejectsAPortOutsideTcpsRange() {
        assertThatThrownBy(() -> StackRunner.start(null, null, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 65535");
    }
}
