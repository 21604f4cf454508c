package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BootManifestTest {

    static final Addressing.Static QEMU_NETWORK = new Addressing.Static(Ipv4Cidr.parse("10.0.2.15/24"),
            Optional.of(Ipv4Address.parse("10.0.2.2")));

    static final BootManifest QEMU = BootManifest.serving("blog", "eth0",
            List.of("/lib/modules/failover.ko", "/lib/modules/net_failover.ko", "/lib/modules/virtio_net.ko"),
            QEMU_NETWORK, 80, "/site/bundle");

    static final String QEMU_TEXT = """
            # Morgana boot manifest: read by PID 1 inside the image.
            manifest.version=2
            hostname=blog
            interface=eth0
            modules=/lib/modules/failover.ko,/lib/modules/net_failover.ko,/lib/modules/virtio_net.ko
            network=static
            address=10.0.2.15/24
            gateway=10.0.2.2
            ports=80
            bundle=/site/bundle
            memory.mib=512
            console=ttyS0
            log.level=info
            on.fatal=poweroff
            shutdown.drain.seconds=10
            watchdog.seconds=30
            """;

    @Test
    void writesEveryKeyInAFixedOrder() throws IOException {
        assertThat(text(QEMU)).isEqualTo(QEMU_TEXT);
    }

    @Test
    void readsWhatItWrites() throws IOException {
        assertThat(read(QEMU_TEXT)).isEqualTo(QEMU);
    }

    private static final long SEED = 0x4D6F7267616E61L; // "Morgana"
    private static final int TRIES = 1000;

    private static final String LABEL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String MODULE_CHARS = "abcxyz_-. 019\\=:";
    private static final String BUNDLE_CHARS = "abc/ =:#!é\t";
    private static final MacAddress LOWEST_LOCAL_MAC = new MacAddress(0x0200_0000_0000L);
    private static final MacAddress HIGHEST_LOCAL_MAC = new MacAddress(0xFEFF_FFFF_FFFFL);

    @ParameterizedTest
    @MethodSource("manifests")
    void roundTripsAnyValidManifest(BootManifest manifest) throws IOException {
        assertThat(read(text(manifest))).isEqualTo(manifest);
    }

    /** Edge manifests (shortest and longest fields, widest and narrowest networks), then seeded random ones. */
    static Stream<BootManifest> manifests() {
        Random r = new Random(SEED);
        List<BootManifest> edges = List.of(
                manifest("a", List.of(), 0, 8, 1, "", Optional.empty(), false),
                manifest("z9z9z9z9z9z9", List.of("xxxxxxxxxx", "\\\\\\\\\\", "==========", ": 019-_.xy"), -1, 30,
                        65_535, "abc/ =:#!é\tb", Optional.of(LOWEST_LOCAL_MAC), true),
                manifest("0", List.of(" ", "\\", "=", ":", "."), Integer.MIN_VALUE, 8, 80, " \t ",
                        Optional.of(HIGHEST_LOCAL_MAC), true),
                manifest("blog", List.of("a b", " a ", "a\\=b:c"), Integer.MAX_VALUE, 30, 8080, "#!", Optional.empty(),
                        true),
                manifest("x", List.of("a"), 1, 30, 1, "é\t=:", Optional.of(LOWEST_LOCAL_MAC), false));
        return Stream.concat(edges.stream(), IntStream.range(0, TRIES).mapToObj(i -> randomManifest(r)));
    }

    /**
     * A manifest as the image builder could write it: module names and the bundle path use the characters that
     * {@link java.util.Properties} escapes; the gateway, when there is one, differs from the address in its
     * last bit, so it is on the network.
     */
    private static BootManifest manifest(String host, List<String> moduleNames, int addressBits, int prefix, int port,
                                         String bundle, Optional<MacAddress> mac, boolean withGateway) {
        Ipv4Cidr address = new Ipv4Cidr(new Ipv4Address(addressBits), prefix);
        List<String> modules = moduleNames.stream().map(name -> "/lib/modules/" + name + ".ko").toList();
        Optional<Ipv4Address> gateway = withGateway ? Optional.of(new Ipv4Address(addressBits ^ 1)) : Optional.empty();
        Addressing addressing = port % 3 == 0 ? new Addressing.Dhcp() : new Addressing.Static(address, gateway);
        List<Integer> ports = port == 65_535 ? List.of(port) : List.of(port, port + 1);
        GuestPolicy policy = new GuestPolicy(16 + port % 4096, "ttyS" + port % 4,
                GuestPolicy.LogLevel.values()[port % 3], GuestPolicy.FatalAction.values()[port % 2],
                Duration.ofSeconds(port % 60), Duration.ofSeconds(1 + port % 90),
                port % 5 == 0 ? Optional.of(GuestPolicy.ForcedFault.values()[port % 3]) : Optional.empty());
        Optional<String> sha = port % 2 == 0 ? Optional.of("%064x".formatted(port)) : Optional.empty();
        return new BootManifest(host, "eth0", modules, mac, addressing, ports, "/" + bundle.strip(), sha, policy);
    }

    private static BootManifest randomManifest(Random r) {
        String host = randomString(r, LABEL_CHARS, 1, 12);
        List<String> moduleNames = IntStream.range(0, r.nextInt(5))
                .mapToObj(i -> randomString(r, MODULE_CHARS, 1, 10)).toList();
        int addressBits = r.nextInt();
        int prefix = 8 + r.nextInt(23);
        int port = 1 + r.nextInt(65_535);
        String bundle = randomString(r, BUNDLE_CHARS, 0, 12);
        // A local (bit 1 of the first octet set), unicast (bit 0 clear) MAC, half the time.
        Optional<MacAddress> mac = r.nextBoolean()
                ? Optional.empty()
                : Optional.of(new MacAddress((r.nextLong(0x1_0000_0000_0000L) & ~0x0100_0000_0000L) | 0x0200_0000_0000L));
        return manifest(host, moduleNames, addressBits, prefix, port, bundle, mac, r.nextBoolean());
    }

    private static String randomString(Random r, String chars, int minLength, int maxLength) {
        int length = minLength + r.nextInt(maxLength - minLength + 1);
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(chars.charAt(r.nextInt(chars.length())));
        }
        return out.toString();
    }

    @Test
    void readsAnEmptyModuleListAndAMacOverride() throws IOException {
        BootManifest m = read(QEMU_TEXT.replaceFirst("modules=.*", "modules=") + "mac=52:54:00:ab:cd:ef\n");
        assertThat(m.driverModules()).isEmpty();
        assertThat(m.macOverride()).contains(MacAddress.parse("52:54:00:ab:cd:ef"));
    }

    @Test
    void refusesAnotherFormatVersionSayingWhatToDo() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("manifest.version=2", "manifest.version=1")))
                .isInstanceOf(BootManifestException.class)
                .hasMessage("boot manifest /init/boot.manifest, key manifest.version: version 1, but this guest reads"
                        + " version 2 only: build the image and the kernel with the same Morgana");
    }

    @Test
    void dhcpTakesNoAddressOrGateway() throws IOException {
        String dhcp = QEMU_TEXT.replace("network=static\naddress=10.0.2.15/24\ngateway=10.0.2.2\n", "network=dhcp\n");
        assertThat(read(dhcp).addressing()).isEqualTo(new Addressing.Dhcp());
        assertThatThrownBy(() -> read(dhcp + "address=10.0.2.15/24\n"))
                .hasMessage("boot manifest /init/boot.manifest, key address: not allowed here: network=dhcp leases the address");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("network=static", "network=bootp")))
                .hasMessageContaining("key network: \"bootp\" is not dhcp or static");
    }

    @Test
    void refusesAPortListedTwice() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("ports=80", "ports=80,8080,80")))
                .hasMessageContaining("key ports: ").hasMessageContaining("port 80 is listed twice");
    }

    @Test
    void readsThePolicyAndTheTestFault() throws IOException {
        BootManifest m = read(QEMU_TEXT.replace("on.fatal=poweroff", "on.fatal=reboot") + "test.fault=oom\n");
        assertThat(m.policy().onFatal()).isEqualTo(GuestPolicy.FatalAction.REBOOT);
        assertThat(m.policy().forcedFault()).contains(GuestPolicy.ForcedFault.OOM);
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("log.level=info", "log.level=loud")))
                .hasMessageContaining("key log.level: \"loud\" is not quiet | info | debug");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("watchdog.seconds=30", "watchdog.seconds=0")))
                .hasMessageContaining("watchdog.seconds").hasMessageContaining("at least one second");
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
        assertThatThrownBy(() -> read(QEMU_TEXT.replaceFirst("manifest.version=2\n", "")))
                .hasMessageContaining("key manifest.version: missing");
    }

    @Test
    void namesTheKeyOfAMalformedValue() {
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("ports=80", "ports=eighty")))
                .hasMessage("boot manifest /init/boot.manifest, key ports: \"eighty\" is not comma-separated TCP ports"
                        + " (1 to 65535), like 80");
        assertThatThrownBy(() -> read(QEMU_TEXT.replace("ports=80", "ports=70000")))
                .hasMessageContaining("key ports: \"70000\" is not comma-separated TCP ports (1 to 65535), like 80: a TCP port is");
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
        assertThatThrownBy(() -> BootManifest.serving("blog", "eth0", List.of("virtio_net.ko"), QEMU_NETWORK, 80,
                "/site")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> BootManifest.serving("-blog", "eth0", List.of(), QEMU_NETWORK, 80, "/site"))
                .hasMessageContaining("not a hostname");
        assertThatThrownBy(() -> BootManifest.serving("blog", "eth0", List.of(), QEMU_NETWORK, 80, "site"))
                .hasMessageContaining("absolute");
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
