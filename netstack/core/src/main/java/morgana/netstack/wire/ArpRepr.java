package morgana.netstack.wire;

/** An Ethernet/IPv4 ARP request or reply (RFC 826). */
public record ArpRepr(Operation operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
                      Ipv4Address targetIp) {

    public enum Operation {
        REQUEST(1), REPLY(2);

        private final int code;

        Operation(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private static final int HARDWARE_ETHERNET = 1;

    /** Accepts only hardware type Ethernet with 6-byte addresses and protocol IPv4 with 4-byte ones. */
    public static ArpRepr parse(ArpPacket p) throws WireFormatException {
        if (p.hardwareType() != HARDWARE_ETHERNET || p.protocolType() != EtherType.IPV4.value()
                || p.hardwareLength() != 6 || p.protocolLength() != 4) {
            throw new WireFormatException(WireError.ARP_UNSUPPORTED);
        }
        Operation op = switch (p.operation()) {
            case 1 -> Operation.REQUEST;
            case 2 -> Operation.REPLY;
            default -> throw new WireFormatException(WireError.ARP_UNSUPPORTED);
        };
        return new ArpRepr(op, p.senderHardwareAddress(), p.senderProtocolAddress(), p.targetHardwareAddress(),
                p.targetProtocolAddress());
    }

    public int bufferLen() {
        return ArpPacket.ETHERNET_IPV4_LEN;
    }

    public void emit(ArpPacket p) {
        p.setFixed(HARDWARE_ETHERNET, EtherType.IPV4.value(), operation.code());
        p.setAddresses(senderMac, senderIp, targetMac, targetIp);
    }
}
