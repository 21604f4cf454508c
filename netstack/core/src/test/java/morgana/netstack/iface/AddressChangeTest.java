package morgana.netstack.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

class AddressChangeTest {

    static final MacAddress MAC = MacAddress.parse("52:54:00:00:00:02");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkPair link = new LinkPair();
    final NetworkStack stack = new NetworkStack(StackConfig.of(MAC, Ipv4Cidr.parse("10.0.0.2/24"), null));

    @Test
    void announcesANewAddressWithAGratuitousArpAndAnswersOnlyForIt() throws Exception {
        stack.poll(T0, link.b());
        assertThat(link.a().takeReceived()).as("no announcement for the address it started with").isNull();

        stack.setAddress(Ipv4Cidr.parse("10.0.0.9/24"), Optional.of(Ipv4Address.parse("10.0.0.1")));
        assertThat(stack.pollAt(T0)).contains(T0);
        stack.poll(T0, link.b());

        byte[] announcement = link.a().takeReceived();
        assertThat(TestFrames.ethernetOf(announcement).destination()).isEqualTo(MacAddress.BROADCAST);
        Ipv4Address ip = Ipv4Address.parse("10.0.0.9");
        assertThat(TestFrames.arpOf(announcement))
                .isEqualTo(new ArpRepr(ArpRepr.Operation.REQUEST, MAC, ip, MacAddress.ZERO, ip));
        assertThat(stack.config().address()).isEqualTo(Ipv4Cidr.parse("10.0.0.9/24"));
        assertThat(stack.config().gateway()).contains(Ipv4Address.parse("10.0.0.1"));
        assertThat(stack.stats().gratuitousArpsSent()).isEqualTo(1);

        MacAddress peer = MacAddress.parse("52:54:00:00:00:01");
        link.b().inject(TestFrames.arp(peer, MacAddress.BROADCAST, new ArpRepr(ArpRepr.Operation.REQUEST, peer,
                Ipv4Address.parse("10.0.0.1"), MacAddress.ZERO, Ipv4Address.parse("10.0.0.2"))));
        stack.poll(T0, link.b());
        assertThat(link.a().takeReceived()).as("the old address is gone").isNull();
    }

    @Test
    void announcesTheStaticAddressWhenAsked() throws Exception {
        stack.announce();
        stack.poll(T0, link.b());

        Ipv4Address ip = Ipv4Address.parse("10.0.0.2");
        assertThat(TestFrames.arpOf(link.a().takeReceived()))
                .isEqualTo(new ArpRepr(ArpRepr.Operation.REQUEST, MAC, ip, MacAddress.ZERO, ip));
        assertThat(link.a().takeReceived()).isNull();
    }

    @Test
    void refusesAGatewayOffTheNewPrefix() {
        assertThatThrownBy(() -> stack.setAddress(Ipv4Cidr.parse("10.0.0.9/24"),
                Optional.of(Ipv4Address.parse("192.0.2.1")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesTheAddressOfADhcpStackToDhcp() {
        NetworkStack dhcp = new NetworkStack(StackConfig.dhcp(MAC, 1500));

        assertThatThrownBy(() -> dhcp.setAddress(Ipv4Cidr.parse("10.0.0.9/24"), Optional.empty()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> dhcp.bindUdp(68)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StackConfig.of(MAC, StackConfig.UNCONFIGURED, Ipv4Address.parse("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
