/** The event loop the kernel owns: one stack on one device, serving one Netty pipeline. */
package morgana.kernel.loop;
