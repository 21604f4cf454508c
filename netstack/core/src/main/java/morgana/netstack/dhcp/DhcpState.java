package morgana.netstack.dhcp;

/** The client states of RFC 2131 §4.4 (Figure 5), without INIT-REBOOT and REBOOTING. */
public enum DhcpState {
    /** No address; about to broadcast a DISCOVER. */
    INIT,
    /** DISCOVER sent, waiting for an OFFER. */
    SELECTING,
    /** REQUEST for an offered address sent, waiting for ACK or NAK. */
    REQUESTING,
    /** Leased; nothing to do until T1. */
    BOUND,
    /** Past T1: asking the leasing server (unicast) to extend. */
    RENEWING,
    /** Past T2: asking any server (broadcast) to extend. */
    REBINDING
}
