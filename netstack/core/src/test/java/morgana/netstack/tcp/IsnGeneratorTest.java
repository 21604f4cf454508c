package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import morgana.netstack.iface.StackStats;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4-microsecond clock. */
class IsnGeneratorTest {

    static final Ipv4Address LOCAL = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.0.0.1");
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theSameConnectionAtTheSameTimeGetsTheSameIsn() {
        assertThat(new IsnGenerator(7).next(T, LOCAL, 80, REMOTE, 40000))
                .isEqualTo(new IsnGenerator(7).next(T, LOCAL, 80, REMOTE, 40000));
    }

    @Test
    void advancesByOneEveryFourMicrosecondsForOneConnection() {
        IsnGenerator isn = new IsnGenerator(7);
        int first = isn.next(T, LOCAL, 80, REMOTE, 40000);

        assertThat(isn.next(T.plusNanos(4_000), LOCAL, 80, REMOTE, 40000) - first).isEqualTo(1);
        assertThat(isn.next(T.plusSeconds(1), LOCAL, 80, REMOTE, 40000) - first).isEqualTo(250_000);
    }

    @Test
    void eachPartOfTheFourTupleAndTheSecretChangesTheOffset() {
        IsnGenerator isn = new IsnGenerator(7);
        int base = isn.next(T, LOCAL, 80, REMOTE, 40000);

        assertThat(isn.next(T, LOCAL, 80, REMOTE, 40001)).isNotEqualTo(base);
        assertThat(isn.next(T, LOCAL, 81, REMOTE, 40000)).isNotEqualTo(base);
        assertThat(isn.next(T, LOCAL, 80, Ipv4Address.parse("10.0.0.3"), 40000)).isNotEqualTo(base);
        assertThat(isn.next(T, Ipv4Address.parse("10.0.0.4"), 80, REMOTE, 40000)).isNotEqualTo(base);
        assertThat(new IsnGenerator(8).next(T, LOCAL, 80, REMOTE, 40000)).isNotEqualTo(base);
    }

    @Test
    void theLayerUsesTheGeneratorForActiveAndPassiveOpens() {
        TcpConfig config = TcpConfig.defaults().withIsnSecret(7);
        TcpLayer layer = new TcpLayer(config, LOCAL, 1460, new StackStats());
        TcpSocket client = (TcpSocket) layer.connect(T, REMOTE, 80);
        List<TcpRepr> out = new ArrayList<>();
        layer.dispatch(T, (src, dst, seg) -> out.add(seg));

        assertThat(out).singleElement().satisfies(syn -> assertThat(syn.seqNumber())
                .isEqualTo(new IsnGenerator(7).next(T, LOCAL, client.localPort, REMOTE, 80)));
    }
}
