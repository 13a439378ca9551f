package jcipa.tensor.math;

import jdk.incubator.vector.FloatVector;

/**
 * Vector twins of {@link FMath}: lane i of the result has the same bits as FMath applied to lane i.
 * TEMPORARY lane-by-lane bodies (correct bits, slow) until the branch-free forms land.
 */
public final class VMath {
    private VMath() {}

    private interface F { float apply(float x); }

    private static FloatVector lanes(FloatVector x, F f) {
        float[] a = x.toArray();
        for (int i = 0; i < a.length; i++) a[i] = f.apply(a[i]);
        return FloatVector.fromArray(x.species(), a, 0);
    }

    public static FloatVector exp(FloatVector x) { return lanes(x, FMath::exp); }
    public static FloatVector log(FloatVector x) { return lanes(x, FMath::log); }
    public static FloatVector log1p(FloatVector x) { return lanes(x, FMath::log1p); }
    public static FloatVector tanh(FloatVector x) { return lanes(x, FMath::tanh); }
    public static FloatVector erf(FloatVector x) { return lanes(x, FMath::erf); }
    public static FloatVector sigmoid(FloatVector x) { return lanes(x, FMath::sigmoid); }
    public static FloatVector softplus(FloatVector x) { return lanes(x, FMath::softplus); }
    public static FloatVector silu(FloatVector x) { return lanes(x, FMath::silu); }
    public static FloatVector gelu(FloatVector x) { return lanes(x, FMath::gelu); }
}
