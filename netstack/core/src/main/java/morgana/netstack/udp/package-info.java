/**
 * UDP (RFC 768) above the interface: {@link morgana.netstack.udp.UdpLayer} demultiplexes datagrams by port to
 * {@link morgana.netstack.udp.UdpSocket}s with bounded queues; the interface does checksums, fragmentation and
 * the port unreachables for ports nobody bound. Obtain a socket from
 * {@link morgana.netstack.iface.NetworkStack#bindUdp(int)}.
 */
package morgana.netstack.udp;
