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
    /** A fragment (MF set or a non-zero offset) given to {@code Ipv4Repr.parse}: fragments go to {@code Ipv4Fragment} and the reassembler (RFC 791 §3.2). */
    IPV4_FRAGMENT,
    ICMP_TRUNCATED,
    ICMP_BAD_CHECKSUM,
    /** A message type the stack does not handle. */
    ICMP_UNSUPPORTED,
    /** An error message that does not quote at least an IPv4 header (RFC 1122 §3.2.2). */
    ICMP_BAD_QUOTE,
    TCP_TRUNCATED,
    /** Data offset below 5 words or past the segment (RFC 9293 §3.1). */
    TCP_BAD_DATA_OFFSET,
    /** An option length below 2, past the header, or wrong for its kind (RFC 9293 §3.1, §3.2). */
    TCP_BAD_OPTION_LENGTH,
    /** A SACK option whose length is not 2 plus a whole number (1 to 4) of 8-byte blocks (RFC 2018 §3). */
    TCP_BAD_SACK_OPTION,
    TCP_BAD_CHECKSUM,
    /** Port 0 is reserved and never valid on the wire. */
    TCP_BAD_PORT,
    UDP_TRUNCATED,
    /** A length field below the header or past the IP payload (RFC 768 "Length"). */
    UDP_BAD_LENGTH,
    UDP_BAD_CHECKSUM,
    /** Destination port 0 is reserved. */
    UDP_BAD_PORT,
    /** Not a well-formed BOOTP message with DHCP options (RFC 2131 §2, RFC 2132 §2). */
    DHCP_MALFORMED
}
