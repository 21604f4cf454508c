/**
 * Network devices that move raw Ethernet frames for the stack: a TAP on a developer's host, an AF_PACKET
 * socket on a guest's NIC; and {@link morgana.kernel.device.Links}, the link settings PID 1 needs (wait for
 * the interface, up, MTU, MAC, GRO).
 */
package morgana.kernel.device;
