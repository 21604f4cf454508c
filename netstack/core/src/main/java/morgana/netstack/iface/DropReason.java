package morgana.netstack.iface;

import morgana.netstack.wire.WireError;

/** Why the stack dropped a frame, a packet or a segment. Each has a counter in {@link StackStats}. */
public enum DropReason {
    // Ethernet
    ETHERNET_TRUNCATED,
    /** Neither to our address nor broadcast. */
    ETHERNET_NOT_FOR_US,
    /** 802.1Q or 802.1ad tagged: no VLAN support. */
    ETHERNET_VLAN_TAGGED,
    ETHERNET_UNKNOWN_TYPE,
    // ARP
    ARP_TRUNCATED,
    ARP_UNSUPPORTED,
    /** A request for some other host's address. */
    ARP_NOT_FOR_US,
    /** An outgoing packet found the queue of packets waiting for address resolution full. */
    ARP_QUEUE_FULL,
    /** An outgoing packet waited for a neighbour that never answered. */
    ARP_UNRESOLVED,
    // IPv4
    IPV4_TRUNCATED,
    IPV4_BAD_VERSION,
    IPV4_BAD_HEADER_LENGTH,
    IPV4_BAD_TOTAL_LENGTH,
    IPV4_BAD_CHECKSUM,
    /** Kept for the parser's refusal of a fragment outside reassembly; the stack reassembles now. */
    IPV4_FRAGMENT,
    /** A fragment whose datagram would end past 65535 bytes ("ping of death"). */
    IPV4_FRAGMENT_TOO_LONG,
    /** A fragment other than the last whose length is zero or not a multiple of 8 (RFC 791 §3.2). */
    IPV4_FRAGMENT_BAD_LENGTH,
    /** A fragment overlapping another of its datagram: the whole datagram is discarded (RFC 5722 §4). */
    IPV4_FRAGMENT_OVERLAP,
    /** An exact copy of a fragment already held (the network duplicated it): harmless, ignored. */
    IPV4_FRAGMENT_DUPLICATE,
    /** Fragments disagreeing on where the datagram ends: the whole datagram is discarded. */
    IPV4_FRAGMENT_INCONSISTENT,
    /** No room for one more datagram in reassembly (count or bytes). */
    IPV4_REASSEMBLY_FULL,
    /** A datagram whose fragments did not all arrive in time (RFC 1122 §3.3.2). */
    IPV4_REASSEMBLY_TIMEOUT,
    IPV4_NOT_FOR_US,
    IPV4_UNKNOWN_PROTOCOL,
    /** An outgoing packet off-link with no gateway configured. */
    IPV4_NO_ROUTE,
    // ICMP
    ICMP_TRUNCATED,
    ICMP_BAD_CHECKSUM,
    ICMP_UNSUPPORTED,
    ICMP_BAD_QUOTE,
    /** An ICMP error we would have sent (port unreachable, time exceeded) held back by the rate limit. */
    ICMP_RATE_LIMITED,
    /** An echo request to a broadcast address: not answered (RFC 1122 §3.2.2.6 allows silence). */
    ICMP_BROADCAST,
    // TCP
    TCP_TRUNCATED,
    TCP_BAD_DATA_OFFSET,
    TCP_BAD_OPTION_LENGTH,
    TCP_BAD_SACK_OPTION,
    TCP_BAD_CHECKSUM,
    TCP_BAD_PORT,
    /** A segment to a broadcast address. */
    TCP_BROADCAST,
    /** A segment for no connection and no listener; answered with RST unless it was one. */
    TCP_NO_SOCKET,
    /** A reset for a closed port held back by the rate limit. */
    TCP_RESET_RATE_LIMITED,
    /** A SYN to a listener whose backlog (accepted-not-yet plus half-open) is full. */
    TCP_BACKLOG_FULL,
    /**
     * A reset or a SYN cookie not sent because one poll's queue of such stateless replies is full (a burst of
     * SYNs or stray segments); the peer's retransmission gets its answer at a later poll.
     */
    TCP_REPLY_QUEUE_FULL,
    /** Not acceptable by the sequence number test (RFC 9293 §3.10.7.4); answered with an ACK. */
    TCP_OUT_OF_WINDOW,
    /** In the window but not at RCV.NXT, and no room left to queue it (per connection or in total). */
    TCP_OUT_OF_ORDER,
    /** Not a drop: a fast retransmission found spurious by its timestamps (RFC 3522), its window cut undone. */
    TCP_SPURIOUS_RETRANSMISSION,
    /** A timestamp older than the last one accepted (PAWS, RFC 7323 §5): answered with an ACK. */
    TCP_PAWS_REJECTED,
    /** A challenge ACK not sent because the rate limit ran out (RFC 5961 §7). */
    TCP_CHALLENGE_ACK_RATE_LIMITED,
    /** An ACK to a listener carrying a SYN cookie that does not verify (RFC 4987 §3.6). */
    TCP_BAD_SYN_COOKIE,
    /** A new connection refused because the layer's connection limit is reached (and no TIME_WAIT could make room). */
    TCP_CONNECTION_LIMIT,
    /**
     * Not a drop of a segment: a TIME_WAIT connection ended before its time, for a new SYN of its four-tuple
     * (RFC 1122 §4.2.2.13) or to make room for a new connection at the connection limit (as Linux does past
     * {@code tcp_max_tw_buckets}).
     */
    TCP_TIME_WAIT_RECYCLED,
    /** An ACK for something not yet sent, or too old (RFC 5961 §5.2). */
    TCP_UNACCEPTABLE_ACK,
    /** An RST or SYN inside the window but not exactly at RCV.NXT: answered with a challenge ACK (RFC 5961). */
    TCP_CHALLENGED,
    /** A segment the state cannot use (no ACK bit, data after FIN, etc). */
    TCP_IGNORED,
    // UDP
    UDP_TRUNCATED,
    UDP_BAD_LENGTH,
    UDP_BAD_CHECKSUM,
    UDP_BAD_PORT,
    /** A datagram to a port no socket is bound to; answered with port unreachable unless it was broadcast. */
    UDP_NO_SOCKET,
    /** A datagram for a socket whose receive queue is full. */
    UDP_RECEIVE_QUEUE_FULL,
    // DHCP
    /** A DHCP message that is not a well-formed BOOTP reply with a message type (RFC 2131 §2, RFC 2132). */
    DHCP_MALFORMED,
    /** A DHCP reply for another client or transaction, or one the client's state does not expect. */
    DHCP_IGNORED,
    /**
     * A frame whose processing hit a bug in the stack (an unexpected exception). Counted and dropped so one
     * hostile frame cannot stop the event loop; any non-zero count is a bug to report.
     */
    INTERNAL_ERROR;

    /** The counter for a parser's refusal. */
    public static DropReason of(WireError error) {
        return switch (error) {
            case ETHERNET_TRUNCATED -> ETHERNET_TRUNCATED;
            case ARP_TRUNCATED -> ARP_TRUNCATED;
            case ARP_UNSUPPORTED -> ARP_UNSUPPORTED;
            case IPV4_TRUNCATED -> IPV4_TRUNCATED;
            case IPV4_BAD_VERSION -> IPV4_BAD_VERSION;
            case IPV4_BAD_HEADER_LENGTH -> IPV4_BAD_HEADER_LENGTH;
            case IPV4_BAD_TOTAL_LENGTH -> IPV4_BAD_TOTAL_LENGTH;
            case IPV4_BAD_CHECKSUM -> IPV4_BAD_CHECKSUM;
            case IPV4_FRAGMENT -> IPV4_FRAGMENT;
            case ICMP_TRUNCATED -> ICMP_TRUNCATED;
            case ICMP_BAD_CHECKSUM -> ICMP_BAD_CHECKSUM;
            case ICMP_UNSUPPORTED -> ICMP_UNSUPPORTED;
            case ICMP_BAD_QUOTE -> ICMP_BAD_QUOTE;
            case TCP_TRUNCATED -> TCP_TRUNCATED;
            case TCP_BAD_DATA_OFFSET -> TCP_BAD_DATA_OFFSET;
            case TCP_BAD_OPTION_LENGTH -> TCP_BAD_OPTION_LENGTH;
            case TCP_BAD_SACK_OPTION -> TCP_BAD_SACK_OPTION;
            case TCP_BAD_CHECKSUM -> TCP_BAD_CHECKSUM;
            case TCP_BAD_PORT -> TCP_BAD_PORT;
            case UDP_TRUNCATED -> UDP_TRUNCATED;
            case UDP_BAD_LENGTH -> UDP_BAD_LENGTH;
            case UDP_BAD_CHECKSUM -> UDP_BAD_CHECKSUM;
            case UDP_BAD_PORT -> UDP_BAD_PORT;
            case DHCP_MALFORMED -> DHCP_MALFORMED;
        };
    }
}
