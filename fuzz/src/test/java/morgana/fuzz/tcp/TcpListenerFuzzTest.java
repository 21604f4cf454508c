package morgana.fuzz.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import morgana.fuzz.ByteScript;
import morgana.fuzz.ParserContract;
import morgana.netstack.iface.StackStats;
import morgana.netstack.tcp.TcpConfig;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpLayer;
import morgana.netstack.tcp.TcpListener;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.TcpOption;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.WireFormatException;

/**
 * The TCP state machine (RFC 9293 §3.10) behind a listening socket, fed up to 64 segments of a
 * {@link ScriptedPeer} script, with an application that accepts, reads, writes and sometimes closes.
 * Asserts: nothing throws; every segment the server sends emits and parses back equal, comes from the
 * listening port to a peer port, is never a bare SYN, advertises a window scale of at most 14 (RFC 7323 §2.3)
 * and carries MSS only on a SYN; the connection count stays within the configured limit; and once the
 * application aborts what it accepted and the clock runs on, every connection is gone (no unbounded growth).
 */
class TcpListenerFuzzTest {

    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.9");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int PORT = 80;
    static final int MAX_STEPS = 64;

    @FuzzTest
    void arbitrarySegmentSequencesLeaveTheListenerSoundAndBounded(byte[] input) {
        TcpConfig config = TcpConfig.defaults().withBuffers(8 * 1024, 8 * 1024).withBacklog(4);
        TcpLayer tcp = new TcpLayer(config, SERVER, 1460, new StackStats());
        TcpListener listener = tcp.listen(PORT);
        ScriptedPeer peer = new ScriptedPeer();
        ByteScript script = new ByteScript(input);
        List<TcpConnection> accepted = new ArrayList<>();
        Instant now = T0;
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<TcpRepr> segment = peer.next(script, PORT);
            if (segment.isEmpty()) {
                break;
            }
            Instant at = now;
            ParserContract.value(input, () -> {
                tcp.process(at, PEER, SERVER, segment.get());
                return null;
            });
            now = now.plusMillis(peer.advanceMillis(script));
            run(tcp, now, peer, input);
            application(script.u8(), listener, accepted);
            run(tcp, now, peer, input);
            assertThat(tcp.connectionCount()).isLessThanOrEqualTo(config.maxConnections());
        }
        for (TcpConnection c : accepted) {
            c.abort();
        }
        for (int minute = 0; minute < 60 && tcp.connectionCount() > 0; minute++) {
            now = now.plus(Duration.ofMinutes(1));
            for (TcpConnection c = listener.accept(); c != null; c = listener.accept()) {
                c.abort();
            }
            run(tcp, now, peer, input);
        }
        assertThat(tcp.connectionCount()).as("connections left an hour after %s", ParserContract.hex(input)).isZero();
    }

    /** The application's move after a step: accept, read, write a little, half-close or abort. */
    private static void application(int move, TcpListener listener, List<TcpConnection> accepted) {
        TcpConnection c = listener.accept();
        if (c != null) {
            accepted.add(c);
        }
        if (accepted.isEmpty()) {
            return;
        }
        TcpConnection target = accepted.get(move % accepted.size());
        switch ((move >>> 4) & 7) {
            case 0, 1 -> target.read(ByteBuffer.allocate(4096));
            case 2 -> target.write(ByteBuffer.wrap(new byte[1 + (move & 15) * 200]));
            case 3 -> target.shutdownOutput();
            case 4 -> target.abort();
            default -> { }
        }
    }

    private static void run(TcpLayer tcp, Instant now, ScriptedPeer peer, byte[] input) {
        List<TcpRepr> sent = new ArrayList<>();
        ParserContract.value(input, () -> {
            tcp.dispatch(now, (src, dst, segment) -> {
                assertThat(src).isEqualTo(SERVER);
                assertThat(dst).isEqualTo(PEER);
                sent.add(segment.copy()); // the layer reuses its segment once the sink returns
            });
            return null;
        });
        for (TcpRepr s : sent) {
            assertSound(s, input);
            peer.saw(s);
        }
    }

    private static void assertSound(TcpRepr s, byte[] input) {
        assertThat(s.sourcePort()).isEqualTo(PORT);
        assertThat(s.destinationPort()).isIn(ScriptedPeer.PORTS[0], ScriptedPeer.PORTS[1]);
        if (s.syn()) {
            assertThat(s.ack()).as("a listener answers a SYN with SYN-ACK, never a bare SYN: %s", s).isTrue();
        } else {
            assertThat(s.maxSegmentSize()).as("MSS only on a SYN (RFC 9293 §3.7.1): %s", s).isEmpty();
        }
        s.windowScale().ifPresent(shift -> assertThat(shift).as("RFC 7323 §2.3").isLessThanOrEqualTo(14));
        for (TcpOption.SackBlock b : s.sackBlocks()) {
            assertThat(b.right() - b.left()).as("SACK block %s in %s", b, s).isPositive();
        }
        byte[] bytes = new byte[s.bufferLen()];
        s.emit(TcpPacket.forWriting(ByteBuffer.wrap(bytes)), SERVER, PEER);
        TcpRepr again = ParserContract.valueOrRefusal(input, WireFormatException.class,
                () -> TcpRepr.parse(TcpPacket.newChecked(ByteBuffer.wrap(bytes)), SERVER, PEER))
                .orElseThrow(() -> new AssertionError("sent a segment its own parser refuses: " + s));
        assertThat(again).isEqualTo(s);
    }
}
