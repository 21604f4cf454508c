package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BootManifestTest {

    static final BootManifest QEMU = new BootManifest("blog", "eth0",
            List.of("/lib/modules/failover.ko", "/lib/modules/net_failover.ko", "/lib/modules/virtio_net.ko"),
            Ipv4Cidr.parse("10.0.2.15/24"), Optional.of(Ipv4Address.parse("10.0.2.2")), 80, "/site/bundle",
            Optional.empty());

    static final String QEMU_TEXT = """
            # Morgana boot manifest: read by PID 1 inside the image.
            manifest.version=1
            hostname=blog
            interface=eth0
            modules=/lib/modules/failover.ko,/lib/modules/net_failover.ko,/lib/modules/virtio_net.ko
            address=10.0.2.15/24
            gateway=10.0.2.2
            http.port=80
            bundle=/site/bundle
            """;

    @Test
    void writesEveryKeyInAFixedOrder() throws IOException {
        assertThat(text(QEMU)).isEqualTo(QEMU_TEXT);
    }

    @Test
    void readsWhatItWrites() throws IOException {
        assertThat(read(QEMU_TEXT)).isEqualTo(QEMU);
    }

    @Property
    void roundTripsAnyValidManifest(@ForAll("manifests") BootManifest manifest) throws IOException {
        assertThat(read(text(manifest))).isEqualTo(manifest);
    }

    @Provide
    Arbitrary<BootManifest> manifests() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<String> path = Arbitraries.strings().withChars("abcxyz_-. 019\\=:").ofMinLength(1).ofMaxLength(10)
                .map(s -> "/lib/modules/" + s + ".ko");
        Arbitrary<Ipv4Cidr> cidr = Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(8, 30))
                .as((bits, prefix) -> new Ipv4Cidr(new Ipv4Address(bits), prefix));
        Arbitrary<Optional<MacAddress>> mac = Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL)
                .map(bits -> new MacAddress((bits & ~0x0100_0000_0000L) | 0x0200_0000_0000L)).optional();
        return Combinators.combine(label, path.list().ofMaxSize(4), cidr, Arbitraries.integers().between(1, 65_535),
                        Arbitraries.strings().withChars("abc/ =:#!é\t").ofMaxLength(12).map(String::strip), mac, Arbitraries.of(true, false))
                .as((host, modules, address, port, bundle, m, withGateway) -> new BootManifest(host, "eth0", modules,
                        address, withGateway ? Optional.of(new Ipv4Address(address.address().bits() ^ 1)) : Optional.empty(),
                        port, "/" + bundle, m));
    }

    @Test
    void readsAnEmptyModuleListAndAMacOverride() throws IOException {
        BootManifest m = read(QEMU_TEXT.replaceFirst("modules=.*", "modules=") + "mac=52:54:00:ab:cd:ef\n");
        assertThat(m.driverModules()).isEmpty();
        assertThat(m.macOverride()).contains(MacAddress.parse("52:54:00:ab:cd:ef"));
    }

    @Test
    void refusesAnotherFormatVersionSayingWhatToDo() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("manifest.version=1", "manifest.version=2")))
                .isInstanceOf(BootManifestException.class)
                .hasMessage("boot manifest /init/boot.manifest, key manifest.version: version 2, but this guest reads"
                        + " version 1 only: build the image and the kernel with the same Morgana");
    }

    @Test
    void namesTheSourceAndTheMissingKey() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replaceFirst("address=.*\n", "")))
                .isInstanceOf(BootManifestException.class)
                .hasMessage("boot manifest /init/boot.manifest, key address: missing; expected the guest's IPv4 address"
                        + " with prefix, like 10.0.2.15/24")
                .extracting(e -> ((BootManifestException) e).key()).isEqualTo("address");
    }

    @Test
    void aManifestWithoutAVersionIsRefused() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replaceFirst("manifest.version=1\n", "")))
                .hasMessageContaining("key manifest.version: missing");
    }

    @Test
    void namesTheKeyOfAMalformedValue() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("http.port=80", "http.port=eighty")))
                .hasMessage("boot manifest /init/boot.manifest, key http.port: \"eighty\" is not a TCP port"
                        + " (1 to 65535), like 80");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("http.port=80", "http.port=70000")))
                .hasMessageContaining("key http.port: \"70000\" is not a TCP port (1 to 65535), like 80: a TCP port is");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("gateway=10.0.2.2", "gateway=10.0.3.2")))
                .hasMessageContaining("key gateway: \"10.0.3.2\" is not an IPv4 address on 10.0.2.15/24: gateway"
                        + " 10.0.3.2 is not on 10.0.2.15/24");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("interface=eth0", "interface=a-name-longer-than-15")))
                .hasMessageContaining("key interface:");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("virtio_net.ko", "virtio_net.ko,")))
                .hasMessageContaining("key modules: ").hasMessageContaining("empty entry");
        assertThatThrownBy(() -> read(QEMU_TEXT + "mac=ff:ff:ff:ff:ff:ff\n"))
                .hasMessageContaining("key mac: ").hasMessageContaining("unicast");
    }

    @Test
    void refusesAnUnknownKeySoATypoIsNotSilentlyIgnored() {
        assertThatThrownBy(() -> read(QEMU_TEXT + "adress=10.0.2.16/24\n"))
                .isInstanceOf(BootManifestException.class)
                .hasMessageStartingWith("boot manifest /init/boot.manifest, key adress: unknown key (known: address,");
    }

    @Test
    void theConstructorRejectsWhatTheGuestCouldNotUse() {
        assertThatThrownBy(() -> new BootManifest("blog", "eth0", List.of("virtio_net.ko"), QEMU.address(),
                Optional.empty(), 80, "/site", Optional.empty())).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> new BootManifest("-blog", "eth0", List.of(), QEMU.address(),
                Optional.empty(), 80, "/site", Optional.empty())).hasMessageContaining("not a hostname");
        assertThatThrownBy(() -> new BootManifest("blog", "eth0", List.of(), QEMU.address(),
                Optional.empty(), 80, "site", Optional.empty())).hasMessageContaining("absolute");
    }

    private static String text(BootManifest manifest) throws IOException {
        StringWriter out = new StringWriter();
        manifest.write(out);
        return out.toString();
    }

    private static BootManifest read(String text) throws IOException {
        return BootManifest.read(new StringReader(text), "/init/boot.manifest");
    }
}
