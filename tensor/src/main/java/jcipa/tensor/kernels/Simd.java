package jcipa.tensor.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD switch for every float32 kernel.
 *
 * <p>{@link #F} is the preferred float species of this JVM (its width follows
 * {@code -XX:MaxVectorSize}). With {@code -Djcipa.simd=false} every kernel takes its scalar path.
 * Kernels are written so that the vector path, for any width, and the scalar path produce the same
 * bits: each output is computed by the same sequence of IEEE add/mul/fma operations, whichever lane
 * or loop computes it (vectorise across independent outputs; never {@code reduceLanes(ADD)}).
 */
public final class Simd {
    private Simd() {}

    /** True unless {@code -Djcipa.simd=false}. */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("jcipa.simd", "true"));

    /** The preferred float species (width set by the JVM, e.g. -XX:MaxVectorSize=16 gives 4 lanes). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** The preferred double species. */
    public static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /** Float lanes the vector path uses; 1 when SIMD is off. */
    public static final int LANES = ENABLED ? F.length() : 1;

    /** Upper bound of a vector loop over [0,n): the largest multiple of the lane count ≤ n (0 when SIMD is off). */
    public static int loopBound(int n) {
        return ENABLED ? F.loopBound(n) : 0;
    }

    /** True if a[from, from + n) holds a NaN (a vector at a time, then one at a time). */
    public static boolean hasNaN(float[] a, int from, int n) {
        int i = from, end = from + loopBound(n);
        for (; i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            if (v.compare(VectorOperators.NE, v).anyTrue()) return true;
        }
        for (; i < from + n; i++) if (a[i] != a[i]) return true;
        return false;
    }

    /** A one-line description for logs and benchmarks. */
    public static String describe() {
        return ENABLED ? ("vector " + F.vectorBitSize() + "-bit (" + F.length() + " float lanes)") : "scalar (SIMD off)";
    }
}
