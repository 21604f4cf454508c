package morgana.kernel.boot;

import java.util.List;
import java.util.Optional;
import morgana.kernel.device.PacketSocketDevice;
import morgana.kernel.device.SystemLinks;
import morgana.kernel.testing.UpperCaseEcho;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * Run by {@link GuestBootTest} as a bare child (no /proc, no /sys, own mount, UTS and network namespaces):
 * PID 1's whole boot on a veth named eth0, for real, except that the machine it is told about claims to be
 * PID 1 and prints instead of powering off. Arguments: the port to serve, then driver modules to load.
 */
public final class GuestBootProbe {

    static final MacAddress MAC = MacAddress.parse("02:00:00:79:00:02");

    public static void main(String[] args) {
        Machine real = SystemMachine.system();
        Machine posingAsPid1 = new Machine() {
            @Override
            public void mount(String source, String target, String type, long flags) {
                real.mount(source, target, type, flags);
            }

            @Override
            public void setHostname(String hostname) {
                real.setHostname(hostname);
            }

            @Override
            public void loadModule(String path) {
                real.loadModule(path);
            }

            @Override
            public boolean setSysctl(String name, String value) {
                return real.setSysctl(name, value);
            }

            @Override
            public int pid() {
                return 1;
            }

            @Override
            public void sync() {
                real.sync();
                System.out.println("synced");
            }

            @Override
            public void powerOff() {
                System.out.println("would power off");
            }

            @Override
            public void reboot() {
                System.out.println("would reboot");
            }

            @Override
            public void sendCtrlAltDelToPid1() {
                System.out.println("would hand ctrl-alt-del to PID 1");
            }

            @Override
            public void awaitEntropy() {
                real.awaitEntropy();
            }

            @Override
            public java.util.Optional<String> clockSource() {
                return real.clockSource();
            }

            @Override
            public java.util.Optional<java.time.Duration> uptime() {
                return real.uptime();
            }

            @Override
            public java.util.Optional<java.time.Duration> uptimeAtProcessStart() {
                return real.uptimeAtProcessStart();
            }
        };
        BootManifest manifest = BootManifest.serving("guest", "eth0", List.of(args).subList(1, args.length),
                new Addressing.Static(Ipv4Cidr.parse("10.79.0.2/24"), Optional.of(Ipv4Address.parse("10.79.0.1"))),
                Integer.parseInt(args[0]), "/site").withMacOverride(MAC);
        Pid1 pid1 = new Pid1(posingAsPid1, SystemLinks.system(), Console.system(), PacketSocketDevice::open,
                Serving::start, code -> {
                    System.out.println("exit " + code);
                    System.exit(code);
                }, EndingSources.system(), System::nanoTime);
        pid1.serveOrPowerOff(() -> manifest, m -> new UpperCaseEcho());
    }
}
