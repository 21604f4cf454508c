package morgana.netstack.wire;

/** Why a parser refused a packet. The stack counts each as a drop reason of the same name. */
public enum WireError {
    ETHERNET_TRUNCATED,
    ARP_TRUNCATED,
    /** Not Ethernet/IPv4 ARP, or an operation other than request and reply (RFC 826). */
    ARP_UNSUPPORTED,
    IPV4_TRUNCATED,
    IPV4_BAD_VERSION,
    /** IHL below 5 or past the packet (RFC 791 §3.1). */
    IPV4_BAD_HEADER_LENGTH,
    /** Total length below the header or past the frame (RFC 791 §3.1). */
    IPV4_BAD_TOTAL_LENGTH,
    IPV4_BAD_CHECKSUM,
    /** A fragment (MF set or a non-zero offset): no reassembly yet (RFC 791 §3.2). */
    IPV4_FRAGMENT,
    ICMP_TRUNCATED,
    ICMP_BAD_CHECKSUM,
    /** A message type the stack does not handle. */
    ICMP_UNSUPPORTED,
    TCP_TRUNCATED,
    /** Data offset below 5 words or past the segment (RFC 9293 §3.1). */
    TCP_BAD_DATA_OFFSET,
    /** An option length below 2, past the header, or wrong for its kind (RFC 9293 §3.1, §3.2). */
    TCP_BAD_OPTION_LENGTH,
    TCP_BAD_CHECKSUM,
    /** Port 0 is reserved and never valid on the wire. */
    TCP_BAD_PORT
}
