package jcipa.tensor.device.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** The {@code void** kernelParams} of cuLaunchKernel: one native cell per argument, in order. */
final class KernelArgs implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> cells = new ArrayList<>();

    /** A device pointer (0 for a null array). */
    KernelArgs ptr(long p) {
        MemorySegment s = arena.allocate(JAVA_LONG);
        s.set(JAVA_LONG, 0, p);
        cells.add(s);
        return this;
    }

    KernelArgs i(int v) {
        MemorySegment s = arena.allocate(JAVA_INT);
        s.set(JAVA_INT, 0, v);
        cells.add(s);
        return this;
    }

    /** A struct of ints passed by value (ConvDims). */
    KernelArgs struct(int... v) {
        MemorySegment s = arena.allocate(JAVA_INT, v.length);
        for (int j = 0; j < v.length; j++) s.setAtIndex(JAVA_INT, j, v[j]);
        cells.add(s);
        return this;
    }

    MemorySegment array() {
        MemorySegment a = arena.allocate(ADDRESS, cells.size());
        for (int j = 0; j < cells.size(); j++) a.setAtIndex(ADDRESS, j, cells.get(j));
        return a;
    }

    @Override public void close() { arena.close(); }
}
