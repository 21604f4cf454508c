package morgana.netstack.wire;

/** An interface address with its prefix length, such as {@code 10.0.2.15/24}. */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) {

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("a prefix length is 0 to 32, not " + prefixLength);
        }
    }

    /** Parses {@code 10.0.2.15/24}. */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an address with prefix (want like 10.0.2.15/24): " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address with prefix (want like 10.0.2.15/24): " + text, e);
        }
        return new Ipv4Cidr(Ipv4Address.parse(text.substring(0, slash)), prefix);
    }

    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public boolean contains(Ipv4Address other) {
        return contains(other.bits());
    }

    /** As above, for an address as {@link Ipv4Address#bits()}. */
    public boolean contains(int other) {
        return (other & netmask()) == (address.bits() & netmask());
    }

    /** The directed broadcast address of this network. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(broadcastBits());
    }

    public int broadcastBits() {
        return address.bits() | ~netmask();
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
