package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent connections are capped in all and per client address; one over a cap is closed at once. */
class ConnectionLimitsTest {

    private final BlogServerInitializer initializer = new BlogServerInitializer(ServerUnderTest.BUNDLE,
            HttpServerConfig.defaults().withConnectionLimits(3, 2).withAccessLog(line -> {}, 1, 1));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** An embedded connection from {@code ip}. */
    private static final class ClientChannel extends EmbeddedChannel {
        private final InetSocketAddress remote;

        ClientChannel(String ip, BlogServerInitializer initializer) throws Exception {
            super(DefaultChannelId.newInstance(), false, false, initializer);
            this.remote = new InetSocketAddress(ip, 40000);
            register();
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }

    private EmbeddedChannel connect(String ip) throws Exception {
        var channel = new ClientChannel(ip, initializer);
        channels.add(channel);
        return channel;
    }

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void closesAThirdConnectionFromOneAddressAtOnce() throws Exception {
        EmbeddedChannel first = connect("10.0.0.5");
        EmbeddedChannel second = connect("10.0.0.5");
        EmbeddedChannel third = connect("10.0.0.5");

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).as("over the per-address cap of 2").isFalse();
        assertThat((Object) third.readOutbound()).as("not a byte said to it").isNull();
        assertThat(initializer.stats().connectionsRefused()).isEqualTo(1);
        assertThat(connect("10.0.0.6").isOpen()).as("another address still gets in").isTrue();
    }

    @Test
    void closesConnectionsOverTheTotalCapWhateverTheAddress() throws Exception {
        connect("10.0.0.1");
        connect("10.0.0.2");
        connect("10.0.0.3");

        assertThat(connect("10.0.0.4").isOpen()).isFalse();
        assertThat(initializer.openConnections()).isEqualTo(3);
    }

    @Test
    void aClosedConnectionFreesItsPlace() throws Exception {
        EmbeddedChannel first = connect("10.0.0.5");
        connect("10.0.0.5");
        first.close();

        assertThat(connect("10.0.0.5").isOpen()).isTrue();
        assertThat(initializer.openConnections()).isEqualTo(2);
        assertThat(initializer.stats().connectionsAccepted()).isEqualTo(3);
    }
}
