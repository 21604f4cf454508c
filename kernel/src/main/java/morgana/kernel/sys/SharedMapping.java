package morgana.kernel.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Memory mapped from a descriptor and shared with the kernel ({@link Posix#mapShared}), seen through a direct
 * {@link ByteBuffer} in the machine's byte order. The view must not be touched once {@link #close} unmapped it:
 * the memory is gone, and a read would fault the whole JVM.
 */
public final class SharedMapping implements AutoCloseable {

    private final Posix posix;
    private final long address;
    private final int length;
    private final String what;
    private final ByteBuffer view;
    private boolean closed;

    SharedMapping(Posix posix, long address, int length, String what) {
        this.posix = posix;
        this.address = address;
        this.length = length;
        this.what = what;
        // jffi wraps the address as JNI's NewDirectByteBuffer does: no copy, no cleaner of its own.
        this.view = com.kenai.jffi.MemoryIO.getInstance().newDirectByteBuffer(address, length)
                .order(ByteOrder.nativeOrder());
    }

    public long address() {
        return address;
    }

    public int length() {
        return length;
    }

    /** The mapped bytes, from index 0; the same buffer on every call. */
    public ByteBuffer view() {
        return view;
    }

    public boolean isMapped() {
        return !closed;
    }

    /** Unmaps the memory (once). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            posix.unmap(address, length, what);
        }
    }
}
