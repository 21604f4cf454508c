package morgana.netstack.iface;

/** Counters of one stack; read them from the polling thread. To be filled in by the stack's implementation. */
public final class StackStats {
}
