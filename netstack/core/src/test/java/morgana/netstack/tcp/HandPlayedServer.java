package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.InternetChecksum;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.BeforeEach;

/**
 * The server stack on link end b; the test plays the client segment by segment at end a. Shared by the
 * hand-played TCP tests.
 */
abstract class HandPlayedServer {

    static final MacAddress SERVER_MAC = MacAddress.parse("52:54:00:00:00:02");
    static final Ipv4Address SERVER_IP = Ipv4Address.parse("10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    static final int PEER_PORT = 40000;
    static final int PEER_ISS = 1000;
    static final int ACK = TcpPacket.ACK;

    final LinkPair link = new LinkPair();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    NetworkStack server;
    TcpListener listener;
    int serverIss;

    @BeforeEach
    void start() {
        startServer(handPlayed());
    }

    /** The skeleton's 64 KiB buffers and an ACK for every segment keep the hand-played exchanges short. */
    static TcpConfig handPlayed() {
        return TcpConfig.defaults().withTimeWait(Duration.ofSeconds(2)).withBuffers(0xFFFF, 64 * 1024)
                .withDelayedAck(Duration.ZERO);
    }

    void startServer(TcpConfig config) {
        server = new NetworkStack(StackConfig.of(SERVER_MAC, new Ipv4Cidr(SERVER_IP, 24), null), config);
        listener = server.listen(80);
        announcePeer();
    }

    /** Replaces the server with one configured by {@code config}. */
    void restartServer(TcpConfig config) {
        link.a().takeReceived();
        startServer(config);
    }

    /** The peer asks for our address, which also (re)fills our ARP cache with its own; the reply is dropped. */
    void announcePeer() {
        link.b().inject(TestFrames.arp(PEER_MAC, MacAddress.BROADCAST,
                new ArpRepr(ArpRepr.Operation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, SERVER_IP)));
        server.poll(now, link.b());
        link.a().takeReceived(); // the ARP reply
    }

    void inject(byte[] frame) {
        link.b().inject(frame);
        server.poll(now, link.b());
    }

    List<TcpRepr> send(TcpRepr segment) {
        inject(TestFrames.tcp(PEER_MAC, SERVER_MAC, PEER_IP, SERVER_IP, segment));
        return received();
    }

    List<TcpRepr> received() {
        List<TcpRepr> out = new ArrayList<>();
        for (byte[] f = link.a().takeReceived(); f != null; f = link.a().takeReceived()) {
            try {
                out.add(TestFrames.tcpOf(f));
            } catch (Exception e) {
                throw new AssertionError("the stack sent a frame that does not parse", e);
            }
        }
        return out;
    }

    List<TcpRepr> pollAt(Instant t) {
        now = t;
        server.poll(now, link.b());
        return received();
    }

    static TcpRepr seg(int seq, int ack, int flags, int window, String data) {
        return TcpRepr.of(PEER_PORT, 80, seq, ack, flags, window, data.getBytes(StandardCharsets.UTF_8));
    }

    TcpRepr syn(OptionalInt mss) {
        return new TcpRepr(PEER_PORT, 80, PEER_ISS, 0, TcpPacket.SYN, 65535, mss, OptionalInt.empty(), false, new byte[0]);
    }

    TcpConnection handshake(OptionalInt mss, int window) {
        List<TcpRepr> synAck = send(syn(mss));
        assertThat(synAck).hasSize(1);
        serverIss = synAck.get(0).seqNumber();
        assertThat(send(seg(PEER_ISS + 1, serverIss + 1, ACK, window, ""))).isEmpty();
        TcpConnection c = listener.accept();
        assertThat(c).isNotNull();
        return c;
    }

    TcpConnection handshake() {
        return handshake(OptionalInt.of(1460), 65535);
    }

    /** Closes {@code c} first; the peer ACKs our FIN together with its own, so {@code c} is in TIME_WAIT. */
    TcpRepr closeIntoTimeWait(TcpConnection c) {
        c.close();
        TcpRepr fin = pollAt(now).getFirst();
        assertThat(fin.fin()).isTrue();
        send(seg(PEER_ISS + 1, fin.seqNumber() + 1, ACK | TcpPacket.FIN, 65535, ""));
        assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
        return fin;
    }

    static String text(TcpConnection c) {
        ByteBuffer b = ByteBuffer.allocate(100_000);
        int n = c.read(b);
        return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8);
    }

    /** A TCP segment with any options and data offset, and a correct checksum. */
    static byte[] rawTcpFrame(int seq, int ack, int flags, int dataOffsetWords, byte[] options, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + options.length + payload.length);
        b.putShort((short) PEER_PORT).putShort((short) 80).putInt(seq).putInt(ack)
                .put((byte) (dataOffsetWords << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0)
                .putShort((short) 0).put(options).put(payload);
        long sum = InternetChecksum.pseudoHeaderSum(PEER_IP, SERVER_IP, 6, b.capacity())
                + InternetChecksum.sum(b, 0, b.capacity());
        b.putShort(16, (short) InternetChecksum.finish(sum));
        return TestFrames.ipv4(PEER_MAC, SERVER_MAC, Ipv4Repr.of(PEER_IP, SERVER_IP, IpProtocol.TCP, b.capacity()),
                b.array());
    }
}
