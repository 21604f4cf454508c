package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerButtonTest {

    @Test
    void findsTheEventNodeNamedPowerButtonAmongTheInputDevices(@TempDir Path sys) throws Exception {
        device(sys, "event0", "AT Translated Set 2 keyboard");
        device(sys, "event2", "Power Button");
        device(sys, "event1", "Video Bus");

        assertThat(PowerButton.find(sys)).contains("event2");
    }

    @Test
    void aMachineWithoutOneHasNone(@TempDir Path sys) throws Exception {
        device(sys, "event0", "AT Translated Set 2 keyboard");

        assertThat(PowerButton.find(sys)).isEmpty();
        assertThat(PowerButton.find(sys.resolve("absent"))).isEmpty();
    }

    @Test
    void aPressOfKeyPowerAsksForACleanShutdownAndOtherEventsDoNot() throws Exception {
        byte[] events = concat(event(0, 0, 0), event(PowerButton.EV_KEY, 30, 1), event(PowerButton.EV_KEY,
                PowerButton.KEY_POWER, 0), event(PowerButton.EV_KEY, PowerButton.KEY_POWER, 1), event(0, 0, 0));
        List<Ending> endings = new ArrayList<>();

        PowerButton.await(new ByteArrayInputStream(events), endings::add);

        assertThat(endings).containsExactly(new Ending.ShutdownRequested("ACPI power button"));
    }

    @Test
    void aReleaseAloneOrATruncatedEventIsNoPress() throws Exception {
        byte[] release = event(PowerButton.EV_KEY, PowerButton.KEY_POWER, 0);
        byte[] truncated = java.util.Arrays.copyOf(event(PowerButton.EV_KEY, PowerButton.KEY_POWER, 1), 20);
        List<Ending> endings = new ArrayList<>();

        PowerButton.await(new ByteArrayInputStream(concat(release, truncated)), endings::add);

        assertThat(endings).isEmpty();
    }

    /** A {@code struct input_event} as x86_64 Linux writes it: timeval, type, code, value. */
    private static byte[] event(int type, int code, int value) {
        return ByteBuffer.allocate(PowerButton.EVENT_BYTES).order(ByteOrder.nativeOrder()).putLong(1_700_000_000L)
                .putLong(250_000L).putShort((short) type).putShort((short) code).putInt(value).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }

    private static void device(Path sys, String event, String name) throws Exception {
        Path dir = Files.createDirectories(sys.resolve(event).resolve("device"));
        Files.writeString(dir.resolve("name"), name + "\n");
    }
}
