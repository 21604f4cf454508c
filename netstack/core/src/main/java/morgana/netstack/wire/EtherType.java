package morgana.netstack.wire;

/** The EtherTypes the stack tells apart (IEEE 802.3, IANA registry); anything else is {@link #UNKNOWN}. */
public enum EtherType {
    IPV4(0x0800),
    ARP(0x0806),
    /** An 802.1Q VLAN tag: this stack does not do VLANs, so such frames are dropped and counted. */
    VLAN(0x8100),
    /** An 802.1ad (QinQ) outer tag. */
    QINQ(0x88A8),
    IPV6(0x86DD),
    UNKNOWN(-1);

    private final int value;

    EtherType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** values() copies its array on every call, and every frame received asks for its type. */
    private static final EtherType[] ALL = values();

    public static EtherType of(int value) {
        for (EtherType t : ALL) {
            if (t.value == value) {
                return t;
            }
        }
        return UNKNOWN;
    }
}
