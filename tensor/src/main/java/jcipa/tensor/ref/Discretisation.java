package jcipa.tensor.ref;

/**
 * Turning the continuous state-space model h′(t) = a·h(t) + b·u(t) into a step of size δ, for one
 * state of a diagonal A (a is one diagonal entry, negative in practice), in float64.
 *
 * <p>Over one step the input is held constant (zero-order hold, ZOH), and the ODE has the exact solution
 * <pre>
 *   h(t + δ) = e^{δa}·h(t) + ((e^{δa} − 1) / a)·b·u        i.e.  Ā = exp(δa),  B̄ = (δa)⁻¹(exp(δa) − 1)·δb
 * </pre>
 * Mamba's kernels, and therefore VMamba, CIPA and jcipa, keep the exact Ā but take the first-order
 * (Euler) input step B̄ = δ·b instead: B̄_ZOH / B̄_Euler = (e^x − 1)/x = 1 + x/2 + x²/6 + … with
 * x = δa, so the two differ by about |δa|/2 relative. See docs/ssm-math.md.
 */
public final class Discretisation {
    private Discretisation() {}

    /** Ā = exp(δ·a): how much of the state survives one step (in (0, 1] for a ≤ 0). */
    public static double aBar(double delta, double a) {
        return StrictMath.exp(delta * a);
    }

    /** B̄ = (exp(δa) − 1)/a · b (zero-order hold); δ·b in the limit a → 0. */
    public static double bBarZeroOrderHold(double delta, double a, double b) {
        double x = delta * a;
        if (x == 0) return delta * b;
        return StrictMath.expm1(x) / x * delta * b;
    }

    /** B̄ = δ·b (Euler): the input step the selective-scan kernels use. */
    public static double bBarEuler(double delta, double b) {
        return delta * b;
    }
}
