package morgana.blog.bundle;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A C function of a shared library of the build machine, through the FFM API, for the build's hot loops (see
 * {@link Libcrypto}, {@link Libdeflate}). Absent when the library or the symbol is not there, or native access
 * is denied: the callers then use the JDK's own code, which gives the same result, slower. Only the build calls
 * these; the guest, which has no such library, never loads this class.
 */
final class NativeFunction {

    private NativeFunction() {}

    /**
     * {@code symbol} of the library {@code soname}, as a handle of {@code signature}. A critical function may take
     * heap arrays ({@code MemorySegment.ofArray}) without a copy, and must return quickly: the JVM does not reach a
     * safepoint while it runs.
     */
    static Optional<MethodHandle> find(String soname, String symbol, FunctionDescriptor signature, boolean critical) {
        try {
            SymbolLookup library = SymbolLookup.libraryLookup(soname, Arena.global());
            Linker.Option[] options = critical ? new Linker.Option[] {Linker.Option.critical(true)} : new Linker.Option[0];
            return library.find(symbol).map(address -> Linker.nativeLinker().downcallHandle(address, signature, options));
        } catch (IllegalArgumentException | IllegalCallerException | UnsupportedOperationException e) {
            return Optional.empty(); // no such library here, or native access denied
        }
    }
}
