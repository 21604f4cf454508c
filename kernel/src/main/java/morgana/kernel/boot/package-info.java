/**
 * Starting Morgana: the {@link morgana.kernel.boot.BootManifest} baked into an image, the PID-1 duties
 * ({@link morgana.kernel.boot.Pid1}), and the host-side equivalent over a TAP ({@link morgana.kernel.boot.TapHost}).
 */
package morgana.kernel.boot;
