package jcipa.tensor.device.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Downcall handles into one shared library (java.lang.foreign), looked up by symbol name. */
final class Native {
    private static final Linker LINKER = Linker.nativeLinker();
    private final SymbolLookup lookup;
    private final String library;

    Native(SymbolLookup lookup, String library) {
        this.lookup = lookup;
        this.library = library;
    }

    /** A handle for {@code symbol}; fails with the library and symbol named when it is missing. */
    MethodHandle fn(String symbol, FunctionDescriptor d) {
        MemorySegment s = lookup.find(symbol).orElseThrow(() -> new CudaException(library + " has no symbol " + symbol));
        return LINKER.downcallHandle(s, d);
    }

    /**
     * A handle whose address arguments may be heap segments ({@code MemorySegment.ofArray}): a
     * critical call, for copies between Java arrays and the device without a staging buffer.
     */
    MethodHandle fnHeap(String symbol, FunctionDescriptor d) {
        MemorySegment s = lookup.find(symbol).orElseThrow(() -> new CudaException(library + " has no symbol " + symbol));
        return LINKER.downcallHandle(s, d, Linker.Option.critical(true));
    }
}
