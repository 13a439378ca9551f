package jcipa.tensor.kernels;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Working arrays that a kernel takes at the start of a call and gives back before it returns, kept
 * for the next call of the same shape. A new Java array is cleared by the allocating thread before the
 * kernel can use it, one serial write over memory that the parallel work then writes again; the
 * scan's per-call copies (tens of MB at stage 0) paid that on every SS2D call.
 *
 * <p>Contract: {@code take(key, n)} returns an array of length n that is either new (all zero) or was
 * given back under the same key. A kernel whose writes are determined by the key (its shape) can
 * therefore rely on the elements it never writes (a zero border, padding lanes) still being zero.
 * Contents never reach a result otherwise, so reuse cannot change a bit.
 *
 * <p>{@code Tensor.unfilled} and {@code Tensor.recycle} keep the storage of an inference pass's intermediates
 * here too, under keys of their own.
 *
 * <p>At most {@link #CAP_BYTES} are kept, least recently used keys dropped first, and no array larger than a
 * quarter of that (the decoder's last 100 MB maps at 512×512 are allocated afresh); an array is never
 * shared by two holders (a key taken twice at once hands out a new array the second time).
 */
public final class Scratch {
    private Scratch() {}

    /**
     * Bytes kept between calls at most: the stage-0 scan's working arrays (~40 MB), the padded inputs of the 3×3
     * convolutions, the packed weights of the matrix products (up to 9 MB each) and the storage of one stage-0
     * SS2D's recycled intermediates ({@code Tensor.recycle}, ~63 MB at 512×512), which a forward pass takes in
     * turn, and then some.
     */
    static final long CAP_BYTES = 192L << 20;

    /**
     * With {@code -Djcipa.scratch.poison=true} (the test suite sets it), arrays handed out by
     * {@link #takeAny} are filled with NaN first, so a caller that reads an element it did not write fails.
     */
    public static final boolean POISON = Boolean.getBoolean("jcipa.scratch.poison");

    private static final Map<String, ArrayDeque<float[]>> KEPT = new LinkedHashMap<>(16, 0.75f, true);
    private static long keptBytes;

    /**
     * An array of {@code length} floats for {@code key} whose contents do not matter to the caller (it
     * writes every element it reads): given back earlier under that key, or new.
     */
    public static float[] takeAny(String key, int length) {
        float[] a = take(key, length);
        if (POISON) java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    /** An array of {@code length} floats for {@code key}: given back earlier under that key, or new. */
    static synchronized float[] take(String key, int length) {
        ArrayDeque<float[]> free = KEPT.get(key);
        if (free != null) {
            for (Iterator<float[]> it = free.iterator(); it.hasNext(); ) {
                float[] a = it.next();
                if (a.length == length) {
                    it.remove();
                    keptBytes -= 4L * length;
                    if (free.isEmpty()) KEPT.remove(key);
                    return a;
                }
            }
        }
        return new float[length];
    }

    /** Gives {@code a}, taken under {@code key}, back for a later call; it must not be used after this. */
    public static synchronized void give(String key, float[] a) {
        long bytes = 4L * a.length;
        if (bytes > CAP_BYTES / 4) return;              // one huge array would push out all the others
        ArrayDeque<float[]> same = KEPT.get(key);
        if (same != null) for (float[] kept : same) if (kept == a) return;    // given twice (two views of one storage): keep it once
        for (Iterator<Map.Entry<String, ArrayDeque<float[]>>> it = KEPT.entrySet().iterator();
             keptBytes + bytes > CAP_BYTES && it.hasNext(); ) {
            for (float[] old : it.next().getValue()) keptBytes -= 4L * old.length;
            it.remove();
        }
        KEPT.computeIfAbsent(key, k -> new ArrayDeque<>()).push(a);
        keptBytes += bytes;
    }

    /** Bytes kept now (for tests). */
    static synchronized long keptBytes() { return keptBytes; }
}
