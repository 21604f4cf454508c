package morgana.netstack.wire;

/** The header of an Ethernet II frame. The type is kept as a number so an unknown one is data, not an error. */
public record EthernetRepr(MacAddress source, MacAddress destination, int etherType) {

    public EthernetRepr {
        if (etherType < 0 || etherType > 0xFFFF) {
            throw new IllegalArgumentException("an EtherType has 16 bits: " + etherType);
        }
    }

    public EthernetRepr(MacAddress source, MacAddress destination, EtherType type) {
        this(source, destination, type.value());
    }

    public static EthernetRepr parse(EthernetFrame frame) {
        return new EthernetRepr(frame.source(), frame.destination(), frame.etherType());
    }

    public EtherType type() {
        return EtherType.of(etherType);
    }

    public int bufferLen() {
        return EthernetFrame.HEADER_LEN;
    }

    public void emit(EthernetFrame frame) {
        frame.setDestination(destination);
        frame.setSource(source);
        frame.setEtherType(etherType);
    }
}
