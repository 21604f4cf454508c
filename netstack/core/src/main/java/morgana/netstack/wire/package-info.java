/**
 * Wire formats: bounds-checked views over bytes ({@code EthernetFrame}, {@code Ipv4Packet}, ...) and the
 * {@code Repr} records the rest of the stack talks in.
 *
 * <p>The contract, in the order smoltcp taught it: a view's {@code newChecked} checks once that every fixed
 * field it can read lies inside the buffer, so its accessors never fail; a {@code Repr.parse} is where the
 * semantic validation happens (checksums, lengths, option encodings) and it reports a failure only by
 * throwing a {@link morgana.netstack.wire.WireFormatException} naming a {@link morgana.netstack.wire.WireError};
 * {@code repr.emit(view)} writes exactly {@code repr.bufferLen()} bytes, so that
 * {@code parse(emit(repr))} equals {@code repr}. Nothing here may throw anything else on any input.
 */
package morgana.netstack.wire;
