package morgana.kernel.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import morgana.netstack.wire.Ipv4Cidr;

/**
 * Run by {@link TapDeviceTest} inside a network namespace: the TAP set-up a developer asks of
 * {@code morgana run}. Arguments: {@code persist NAME} or {@code open NAME}.
 */
public final class TapSetupProbe {

    public static void main(String[] args) throws Exception {
        String name = args[1];
        switch (args[0]) {
            case "persist" -> {
                try (TapDevice tap = TapDevice.open(name)) {
                    tap.setPersistent(true);
                    System.out.println("ran " + HostSide.configure(name, Ipv4Cidr.parse("10.76.0.1/24")));
                }
                System.out.println("after close: " + ip("-o", "-4", "address", "show", "dev", name));
                try (TapDevice again = TapDevice.open(name)) {
                    System.out.println("attached again to " + again.name());
                    again.setPersistent(false);
                }
                System.out.println("after persistence off: " + ip("-o", "link", "show", "dev", name));
            }
            case "open" -> {
                try (TapDevice tap = TapDevice.open(name)) {
                    System.out.println("opened " + tap.name());
                } catch (RuntimeException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static String ip(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.waitFor();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
