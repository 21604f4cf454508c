package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Frames that Linux 6.1 sent between two network namespaces over a veth pair (transmit checksum offload off,
 * so every checksum on the wire is complete; tshark verified each one), captured with tcpdump: an ARP
 * exchange, a ping, a UDP datagram to a closed port with Linux's port unreachable, and a SYN with the
 * options Linux always sends, answered by a RST. Each parses, checksums and all, to what tcpdump printed.
 */
class CapturedLinuxFramesTest {

    static final MacAddress A = MacAddress.parse("02:00:00:00:55:01");
    static final MacAddress B = MacAddress.parse("02:00:00:00:55:02");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.55.0.1");
    static final Ipv4Address IP_B = Ipv4Address.parse("10.55.0.2");

    static final String ARP_REQUEST = "ffffffffffff020000005501080600010800060400010200000055010a3700010000000000000a370002";
    static final String ARP_REPLY = "020000005501020000005502080600010800060400020200000055020a3700020200000055010a370001";
    static final String ECHO_REQUEST = "02000000550202000000550108004500002c90654000400195fb0a3700010a37000208008a0c12d7"
            + "000167bf066b00000000e3f0090000000000";
    static final String UDP_TO_CLOSED_PORT = "020000005502020000005501080045000023821e40004011a43b0a3700010a3700028c9e"
            + "0007000fbc746d6f7267616e61";
    static final String PORT_UNREACHABLE = "020000005501020000005502080045c0003f2b900000400139fe0a3700020a370001030311"
            + "8e0000000045000023821e40004011a43b0a3700010a3700028c9e0007000fbc746d6f7267616e61";
    static final String SYN = "02000000550202000000550108004500003c802f40004006a61c0a3700010a370002b45a1f90f36236ac"
            + "00000000a002faf029640000020405b40402080a2f5ae1e3000000000103030a";
    static final String RST_ACK = "02000000550102000000550208004500002800004000400626600a3700020a3700011f90b45a00000000"
            + "f36236ad501400009d650000";

    private static EthernetFrame ethernet(String hex) throws WireFormatException {
        return EthernetFrame.newChecked(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
    }

    private static Ipv4Packet ipv4(String hex) throws WireFormatException {
        return Ipv4Packet.newChecked(ethernet(hex).payload());
    }

    @Test
    void arpRequestAndReplyParseAndReEmitByteForByte() throws Exception {
        for (String hex : List.of(ARP_REQUEST, ARP_REPLY)) {
            EthernetFrame eth = ethernet(hex);
            EthernetRepr ethRepr = EthernetRepr.parse(eth);
            ArpRepr arp = ArpRepr.parse(ArpPacket.newChecked(eth.payload()));

            byte[] again = new byte[EthernetFrame.HEADER_LEN + arp.bufferLen()];
            EthernetFrame out = EthernetFrame.forWriting(ByteBuffer.wrap(again));
            ethRepr.emit(out);
            arp.emit(ArpPacket.forWriting(out.payload()));
            assertThat(HexFormat.of().formatHex(again)).isEqualTo(hex);
        }
        ArpRepr request = ArpRepr.parse(ArpPacket.newChecked(ethernet(ARP_REQUEST).payload()));
        assertThat(request).isEqualTo(new ArpRepr(ArpRepr.Operation.REQUEST, A, IP_A, MacAddress.ZERO, IP_B));
        assertThat(EthernetRepr.parse(ethernet(ARP_REQUEST)))
                .isEqualTo(new EthernetRepr(A, MacAddress.BROADCAST, EtherType.ARP.value()));
        ArpRepr reply = ArpRepr.parse(ArpPacket.newChecked(ethernet(ARP_REPLY).payload()));
        assertThat(reply).isEqualTo(new ArpRepr(ArpRepr.Operation.REPLY, B, IP_B, A, IP_A));
    }

    @Test
    void pingsEchoRequestParsesWithItsChecksums() throws Exception {
        Ipv4Packet ip = ipv4(ECHO_REQUEST);
        assertThat(Ipv4Repr.parse(ip)).isEqualTo(new Ipv4Repr(IP_A, IP_B, IpProtocol.ICMP.value(), 24, 64));
        assertThat(Icmpv4Repr.parse(Icmpv4Packet.newChecked(ip.payload()))).isEqualTo(new Icmpv4Repr.EchoRequest(
                0x12d7, 1, HexFormat.of().parseHex("67bf066b00000000e3f0090000000000")));
    }

    @Test
    void udpDatagramAndLinuxsPortUnreachableQuotingItParse() throws Exception {
        Ipv4Packet ip = ipv4(UDP_TO_CLOSED_PORT);
        UdpRepr udp = UdpRepr.parse(UdpPacket.newChecked(ip.payload()), IP_A, IP_B);
        assertThat(udp.sourcePort()).isEqualTo(35998);
        assertThat(udp.destinationPort()).isEqualTo(7);
        assertThat(new String(udp.payload(), StandardCharsets.US_ASCII)).isEqualTo("morgana");

        Ipv4Packet error = ipv4(PORT_UNREACHABLE);
        assertThat(Ipv4Repr.parse(error).source()).isEqualTo(IP_B);
        Icmpv4Repr icmp = Icmpv4Repr.parse(Icmpv4Packet.newChecked(error.payload()));
        assertThat(icmp).isInstanceOf(Icmpv4Repr.DestinationUnreachable.class);
        Icmpv4Repr.DestinationUnreachable unreachable = (Icmpv4Repr.DestinationUnreachable) icmp;
        assertThat(unreachable.code()).as("port unreachable").isEqualTo(3);
        // The quote is the whole offending datagram, which is the frame above after its Ethernet header.
        assertThat(HexFormat.of().formatHex(unreachable.data())).isEqualTo(UDP_TO_CLOSED_PORT.substring(28));
    }

    @Test
    void linuxsSynWithAllItsOptionsAndTheRstThatAnswersIt() throws Exception {
        Ipv4Packet ip = ipv4(SYN);
        TcpPacket syn = TcpPacket.newChecked(ip.payload());
        TcpRepr repr = TcpRepr.parse(syn, IP_A, IP_B);
        assertThat(repr.sourcePort()).isEqualTo(46170);
        assertThat(repr.destinationPort()).isEqualTo(8080);
        assertThat(repr.seqNumber()).isEqualTo(0xf36236ac);
        assertThat(repr.flags()).isEqualTo(TcpPacket.SYN);
        assertThat(repr.window()).isEqualTo(64240);
        assertThat(repr.maxSegmentSize()).isEqualTo(OptionalInt.of(1460));
        assertThat(repr.windowScale()).isEqualTo(OptionalInt.of(10));
        assertThat(repr.sackPermitted()).isTrue();
        assertThat(TcpOption.parseAll(syn.options())).containsExactly(
                new TcpOption.MaxSegmentSize(1460), new TcpOption.SackPermitted(),
                new TcpOption.Timestamps(0x2f5ae1e3L, 0), new TcpOption.NoOperation(), new TcpOption.WindowScale(10));

        TcpRepr rst = TcpRepr.parse(TcpPacket.newChecked(ipv4(RST_ACK).payload()), IP_B, IP_A);
        assertThat(rst.flags()).isEqualTo(TcpPacket.RST | TcpPacket.ACK);
        assertThat(rst.ackNumber()).isEqualTo(repr.seqNumber() + 1);
        assertThat(rst.window()).isZero();
    }

    @Test
    void aFlippedBitInTheSynFailsItsChecksum() {
        byte[] frame = HexFormat.of().parseHex(SYN);
        frame[frame.length - 1] ^= 1; // the window scale shift: inside the checksummed header
        assertThatThrownBy(() -> TcpRepr.parse(
                TcpPacket.newChecked(Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload())
                        .payload()), IP_A, IP_B))
                .isInstanceOf(WireFormatException.class);
    }
}
