package morgana.kernel.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The ACPI power button: what a hypervisor presses to ask the machine to shut down (EC2's stop and terminate,
 * after an Auto Scaling group's target was drained; qemu's {@code system_powerdown}). Linux's {@code button}
 * driver reports it as an input device named "Power Button"; {@code evdev} gives it a node under
 * /dev/input, whose events are read here for a press of {@code KEY_POWER}.
 *
 * <p>An event is a {@code struct input_event} (linux/input.h): a {@code struct timeval} (16 bytes on
 * x86_64), then {@code __u16 type}, {@code __u16 code}, {@code __s32 value}, in the machine's byte order.
 */
final class PowerButton {
    /** The modules the image loads for it: the ACPI button driver and the event device interface. */
    static final List<String> MODULES = List.of("button", "evdev");
    static final String NAME = "Power Button";
    static final int EVENT_BYTES = 24;
    static final int EV_KEY = 1;
    static final int KEY_POWER = 116;

    private PowerButton() {
    }

    /** The event node of the power button, by the names under {@code sysClassInput} ({@code /sys/class/input}). */
    static Optional<String> find(Path sysClassInput) {
        if (!Files.isDirectory(sysClassInput)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(sysClassInput)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("event")).sorted()
                    .filter(p -> name(p.resolve("device/name")).equals(NAME))
                    .map(p -> p.getFileName().toString()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether one input event is the button going down. */
    static boolean pressed(ByteBuffer event) {
        ByteBuffer e = event.duplicate().order(ByteOrder.nativeOrder());
        int type = Short.toUnsignedInt(e.getShort(16));
        int code = Short.toUnsignedInt(e.getShort(18));
        int value = e.getInt(20);
        return type == EV_KEY && code == KEY_POWER && value == 1;
    }

    /**
     * Reads {@code events} until the button is pressed, then reports a shutdown request; returns when the
     * stream ends without one.
     */
    static void await(InputStream events, Consumer<Ending> end) throws IOException {
        byte[] event = new byte[EVENT_BYTES];
        while (events.readNBytes(event, 0, EVENT_BYTES) == EVENT_BYTES) {
            if (pressed(ByteBuffer.wrap(event))) {
                end.accept(new Ending.ShutdownRequested("ACPI power button"));
                return;
            }
        }
    }

    /**
     * Watches the power button on a daemon thread, once its drivers are loaded; says on the console whether
     * there is one (a machine without ACPI, such as a Xen PVH domain, has none).
     */
    static void watch(Path sysClassInput, Path devInput, Consumer<Ending> end, Consumer<String> console) {
        Optional<String> node = find(sysClassInput);
        if (node.isEmpty()) {
            console.accept("no ACPI power button; a shutdown comes by SIGTERM or ctrl-alt-del");
            return;
        }
        Path device = devInput.resolve(node.get());
        console.accept("power button: " + device);
        Thread.ofPlatform().daemon().name("morgana-power-button").start(() -> {
            try (InputStream events = Files.newInputStream(device)) {
                await(events, end);
            } catch (IOException e) {
                console.accept("power button " + device + " unreadable: " + e.getMessage());
            }
        });
    }

    private static String name(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
