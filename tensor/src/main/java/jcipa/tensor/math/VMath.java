package jcipa.tensor.math;

import jdk.incubator.vector.FloatVector;

/** Vector twins of {@link FMath}: lane i of the result has the same bits as FMath applied to lane i. PLACEHOLDER. */
public final class VMath {
    private VMath() {}
    public static FloatVector exp(FloatVector x) { throw new UnsupportedOperationException("exp"); }
    public static FloatVector log(FloatVector x) { throw new UnsupportedOperationException("log"); }
    public static FloatVector log1p(FloatVector x) { throw new UnsupportedOperationException("log1p"); }
    public static FloatVector tanh(FloatVector x) { throw new UnsupportedOperationException("tanh"); }
    public static FloatVector erf(FloatVector x) { throw new UnsupportedOperationException("erf"); }
    public static FloatVector sigmoid(FloatVector x) { throw new UnsupportedOperationException("sigmoid"); }
    public static FloatVector softplus(FloatVector x) { throw new UnsupportedOperationException("softplus"); }
    public static FloatVector silu(FloatVector x) { throw new UnsupportedOperationException("silu"); }
    public static FloatVector gelu(FloatVector x) { throw new UnsupportedOperationException("gelu"); }
}
