package morgana.netstack.wire;

import java.util.HexFormat;

/** A 48-bit Ethernet address, held in the low six bytes of a long. */
public record MacAddress(long bits) {

    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(bits));
        }
    }

    public static MacAddress of(byte[] six) {
        if (six.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + six.length);
        }
        long v = 0;
        for (byte b : six) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses {@code 52:54:00:12:34:56} (colons or dashes). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (want six hex pairs like 52:54:00:12:34:56): " + text);
        }
        byte[] six = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("not a MAC address (want six hex pairs like 52:54:00:12:34:56): " + text);
            }
            six[i] = (byte) HexFormat.fromHexDigits(parts[i]);
        }
        return of(six);
    }

    public byte[] toBytes() {
        byte[] six = new byte[6];
        for (int i = 0; i < 6; i++) {
            six[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return six;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    /** The group bit (I/G) of the first octet. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(toBytes());
    }
}
