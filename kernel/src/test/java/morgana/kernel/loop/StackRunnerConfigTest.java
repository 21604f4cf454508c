package morgana.kernel.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import morgana.netstack.tcp.TcpConfig;
import org.junit.jupiter.api.Test;

class StackRunnerConfigTest {

    @Test
    void eachBootGetsItsOwnIsnSecretNotTheDefault() {
        Set<Long> secrets = new HashSet<>();
        for (int boot = 0; boot < 8; boot++) {
            TcpConfig config = StackRunner.tcpConfig(new SecureRandom());
            assertThat(config.isnSecret()).isNotEqualTo(TcpConfig.defaults().isnSecret());
            secrets.add(config.isnSecret());
        }
        assertThat(secrets).hasSize(8);
    }

    @Test
    void onlyTheSecretDiffersFromTheDefaults() {
        TcpConfig config = StackRunner.tcpConfig(new SecureRandom());
        assertThat(config.withIsnSecret(TcpConfig.defaults().isnSecret())).isEqualTo(TcpConfig.defaults());
    }
}
