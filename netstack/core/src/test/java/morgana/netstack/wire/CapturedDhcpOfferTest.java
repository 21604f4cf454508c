package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A DHCPOFFER that dnsmasq 2.90 sent to Morgana's stack on a TAP (captured with tcpdump in the test namespace
 * of {@code StackOnTapTest}): its IPv4 and UDP checksums verify and it parses to what dnsmasq logged.
 */
class CapturedDhcpOfferTest {

    /** Ethernet, IPv4 (TOS 0xc0), UDP and BOOTP up to chaddr's six bytes. */
    static final String HEAD = "ffffffffffff324c5327e14f080045c0014876f600004011f78e0a600001ffffffff00430044013430570201"
            + "0600205eb74f00038000000000000a6000360a60000100000000020000980002";
    /** Cookie and options: type OFFER, server id, lease 120 s, T1 60 s, T2 105 s, mask, broadcast (28), router, end. */
    static final String OPTIONS = "6382536335010236040a6000013304000000783a040000003c3b04000000690104ffffff001c040a6000ff"
            + "03040a600001ff";

    static byte[] frame() {
        ByteBuffer f = ByteBuffer.allocate(342);
        f.put(HexFormat.of().parseHex(HEAD));
        f.position(14 + 20 + 8 + DhcpPacket.FIXED_LEN);
        f.put(HexFormat.of().parseHex(OPTIONS));
        return f.array(); // zero-padded to 342 bytes, as sent
    }

    @Test
    void parsesDnsmasqsOfferWithItsChecksums() throws Exception {
        EthernetFrame eth = EthernetFrame.newChecked(ByteBuffer.wrap(frame()));
        Ipv4Packet ip = Ipv4Packet.newChecked(eth.payload());
        Ipv4Repr ipRepr = Ipv4Repr.parse(ip);
        UdpRepr udp = UdpRepr.parse(UdpPacket.newChecked(ip.payload()), ipRepr.source(), ipRepr.destination());
        DhcpRepr offer = DhcpRepr.parse(DhcpPacket.newChecked(ByteBuffer.wrap(udp.payload())));

        assertThat(ipRepr.source()).isEqualTo(Ipv4Address.parse("10.96.0.1"));
        assertThat(ipRepr.destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(udp.sourcePort()).isEqualTo(67);
        assertThat(udp.destinationPort()).isEqualTo(68);
        assertThat(offer.op()).isEqualTo(DhcpPacket.OP_REPLY);
        assertThat(offer.messageType()).isEqualTo(DhcpMessageType.OFFER);
        assertThat(offer.xid()).isEqualTo(0x205eb74f);
        assertThat(offer.broadcast()).isTrue();
        assertThat(offer.yourIp()).isEqualTo(Ipv4Address.parse("10.96.0.54"));
        assertThat(offer.clientMac()).isEqualTo(MacAddress.parse("02:00:00:98:00:02"));
        assertThat(offer.serverIdentifier()).contains(Ipv4Address.parse("10.96.0.1"));
        assertThat(offer.leaseSeconds()).isEqualTo(OptionalLong.of(120));
        assertThat(offer.renewalSeconds()).isEqualTo(OptionalLong.of(60));
        assertThat(offer.rebindingSeconds()).isEqualTo(OptionalLong.of(105));
        assertThat(offer.subnetMask()).isEqualTo(Optional.of(Ipv4Address.parse("255.255.255.0")));
        assertThat(offer.routers()).isEqualTo(List.of(Ipv4Address.parse("10.96.0.1")));
    }

    /** Our emit keeps every field we read; the option we skip (28, broadcast address) is the only loss. */
    @Test
    void reEmitsToTheSameRepr() throws Exception {
        ByteBuffer dhcp = ByteBuffer.wrap(frame(), 42, 300);
        DhcpRepr offer = DhcpRepr.parse(DhcpPacket.newChecked(dhcp));
        ByteBuffer out = ByteBuffer.allocate(offer.bufferLen());
        offer.emit(DhcpPacket.forWriting(out));

        assertThat(DhcpRepr.parse(DhcpPacket.newChecked(out))).isEqualTo(offer);
        assertThat(out.array().length).isEqualTo(300);
        assertThat(ByteBuffer.wrap(out.array(), 0, 44)).isEqualTo(ByteBuffer.wrap(frame(), 42, 44));
    }
}
