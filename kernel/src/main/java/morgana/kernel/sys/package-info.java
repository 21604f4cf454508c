/**
 * The native layer: glibc through jnr-ffi ({@link morgana.kernel.sys.LibC}), checked calls that turn errno
 * into {@link morgana.kernel.sys.SystemCallException}s saying what to do ({@link morgana.kernel.sys.Posix}),
 * and the byte layouts of the kernel structs Morgana passes ({@code ifreq}, {@code sockaddr_ll},
 * {@code pollfd}). Nothing outside the kernel module calls native code.
 */
package morgana.kernel.sys;
