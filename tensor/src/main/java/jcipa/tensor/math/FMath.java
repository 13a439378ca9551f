package jcipa.tensor.math;

/**
 * Deterministic float32 transcendental functions (scalar form). PLACEHOLDER bodies: to be replaced
 * by the project's own IEEE add/mul/fma implementations (see VMath for the vector twins).
 */
public final class FMath {
    private FMath() {}
    public static float exp(float x) { return (float) StrictMath.exp(x); }
    public static float log(float x) { return (float) StrictMath.log(x); }
    public static float log1p(float x) { return (float) StrictMath.log1p(x); }
    public static float tanh(float x) { return (float) StrictMath.tanh(x); }
    public static float erf(float x) { return (float) DMath.erf(x); }
    public static float sigmoid(float x) { return 1f / (1f + exp(-x)); }
    public static float softplus(float x) { return x <= 20f ? log1p(exp(x)) : x; }
    public static float silu(float x) { return x * sigmoid(x); }
    public static float gelu(float x) { return 0.5f * x * (1f + erf(x * 0.70710677f)); }
}
