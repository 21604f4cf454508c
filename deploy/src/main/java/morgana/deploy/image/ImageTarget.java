package morgana.deploy.image;

import java.util.List;

/**
 * Where an image boots, and what that adds to the site's own drivers (which stay, so the same image also
 * boots under qemu, where the tests run it):
 * <ul>
 *   <li>{@link Qemu}: a bzImage and an initramfs for qemu's direct kernel boot;
 *   <li>{@link Xen}: a PVH domU: the uncompressed vmlinux, the initramfs and an {@code xl} config;
 *   <li>{@link Ec2}: a raw GPT disk whose EFI system partition holds a unified kernel image.
 * </ul>
 */
public sealed interface ImageTarget {

    String name();

    /** Kernel modules this target's hardware needs beyond {@code image.drivers}. */
    List<String> drivers();

    /**
     * Consoles for the kernel command line, the last one preferred for /dev/console; one that has no
     * device on the machine is skipped, and the kernel falls back to the others.
     */
    default List<String> consoles() {
        return List.of("ttyS0");
    }

    /**
     * The ACPI power button's driver and the event device it is read through: how EC2 (stopping or
     * terminating an instance, as an Auto Scaling group does after draining it) and qemu
     * ({@code system_powerdown}) ask the guest for a clean shutdown.
     */
    List<String> POWER_BUTTON = List.of("button", "evdev");

    record Qemu() implements ImageTarget {
        public String name() {
            return "qemu";
        }

        /**
         * virtio-rng: qemu's {@code virtio-rng-pci} (which {@code morgana boot} adds) feeds the guest's random
         * generator from the host, so PID 1's wait for a seeded generator ends soon under emulation too.
         * And the {@link #POWER_BUTTON}.
         */
        public List<String> drivers() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of("virtio_rng"), POWER_BUTTON.stream())
                    .toList();
        }
    }

    /**
     * @param drivers xen-netfront, Xen's paravirtual NIC, by default ({@link #XEN_DRIVERS})
     */
    record Xen(List<String> drivers) implements ImageTarget {
        public static final List<String> XEN_DRIVERS = List.of("xen_netfront");

        public Xen {
            drivers = List.copyOf(drivers);
        }

        public Xen() {
            this(XEN_DRIVERS);
        }

        public String name() {
            return "xen";
        }

        /** A PVH guest has no UART: its console is Xen's hvc0; ttyS0 serves when qemu boots the same kernel. */
        @Override
        public List<String> consoles() {
            return List.of("ttyS0", "hvc0");
        }
    }

    /**
     * ENA is the NIC of every Nitro instance; NVMe (built into Debian's cloud kernel) its disks; the
     * {@link #POWER_BUTTON} is how a stop or terminate reaches the guest.
     */
    record Ec2() implements ImageTarget {
        public String name() {
            return "ec2";
        }

        public List<String> drivers() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of("ena", "nvme"), POWER_BUTTON.stream())
                    .toList();
        }
    }

    static ImageTarget named(String name) {
        return switch (name) {
            case "qemu" -> new Qemu();
            case "xen" -> new Xen();
            case "ec2" -> new Ec2();
            default -> throw new ImageException("unknown image target '" + name + "'; use qemu, xen or ec2");
        };
    }
}
