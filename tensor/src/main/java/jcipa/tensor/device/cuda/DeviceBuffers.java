package jcipa.tensor.device.cuda;

import java.util.HashMap;
import java.util.Map;

/**
 * Named device scratch buffers that only grow: each backend call copies its arrays into slots
 * ("a", "b", "y", ...) that are reused by the next call, so steady-state calls allocate nothing.
 */
final class DeviceBuffers {
    private final Driver cu;
    private final Map<String, long[]> slots = new HashMap<>();   // name -> {pointer, capacity in floats}

    DeviceBuffers(Driver cu) { this.cu = cu; }

    /** A device pointer to at least {@code floats} floats, contents undefined. */
    long get(String name, long floats) {
        long[] s = slots.get(name);
        if (s == null || s[1] < floats) {
            if (s != null) cu.free(s[0]);
            long cap = Math.max(floats, s == null ? 0 : s[1] + s[1] / 2);
            s = new long[] {cu.alloc(4 * cap), cap};
            slots.put(name, s);
        }
        return s[0];
    }

    /** A slot holding array[off, off+len). */
    long upload(String name, float[] array, int off, int len) {
        long p = get(name, len);
        cu.copyIn(p, array, off, len);
        return p;
    }

    /** A slot holding the whole array, or 0 for null. */
    long upload(String name, float[] array) {
        return array == null ? 0 : upload(name, array, 0, array.length);
    }
}
