package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * t += a·s elementwise with the product rounded before the sum (not an fma): what a multiply op and
 * then an add op give, in one pass and without the product's array (the CVSS block's scaled residuals).
 */
public final class ScaledSum {
    private ScaledSum() {}

    private static final VectorSpecies<Float> F = Simd.F;

    /**
     * t[to+i] = t[to+i] + a[ao+i·as]·s[so+i·ss], i in [0,n), each product rounded to float first; the vector
     * path takes a contiguous a (as = 1) and s contiguous or broadcast (ss ∈ {0, 1}).
     */
    public static void addProduct(float[] t, int to, float[] a, int ao, int as, float[] s, int so, int ss, int n) {
        int i = 0;
        if (Simd.ENABLED && as == 1 && (ss == 0 || ss == 1)) {
            FloatVector scalar = FloatVector.broadcast(F, s[so]);
            for (int end = F.loopBound(n); i < end; i += F.length()) {
                FloatVector sv = ss == 0 ? scalar : FloatVector.fromArray(F, s, so + i);
                FloatVector.fromArray(F, t, to + i).add(FloatVector.fromArray(F, a, ao + i).mul(sv)).intoArray(t, to + i);
            }
        }
        for (; i < n; i++) t[to + i] = t[to + i] + a[ao + i * as] * s[so + i * ss];
    }

    /** The float64 twin of {@link #addProduct} (the reference path's arithmetic: product rounded, then the sum). */
    public static void addProductRef(double[] t, int to, double[] a, int ao, int as, double[] s, int so, int ss, int n) {
        for (int i = 0; i < n; i++) t[to + i] = t[to + i] + a[ao + i * as] * s[so + i * ss];
    }
}
