package jcipa.tensor.ref;

/**
 * The convolution form of a time-invariant diagonal SSM, in float64: when δ, B and C do not change
 * with t, unrolling h_t = Ā⊙h_{t−1} + B̄·u_t from h_{−1} = 0 gives
 * <pre>
 *   h_t = Σ_{k=0..t} Ā^k ⊙ B̄ · u_{t−k}
 *   y_t = Σ_{k=0..t} K̄_k · u_{t−k} + D·u_t,      K̄_k = Σ_n C[n] · Ā[n]^k · B̄[n]
 * </pre>
 * a causal convolution of u with the kernel K̄ = (C·B̄, C·Ā·B̄, …, C·Ā^{L−1}·B̄). A selective scan
 * (δ, B or C depending on t) has no such kernel: Ā_t and B̄_t differ per step, so the products
 * Ā_t·Ā_{t−1}·…·B̄_{t−k} depend on t and not only on the lag k.
 */
public final class SsmConvolution {
    private SsmConvolution() {}

    /** K̄_k = Σ_n c[n]·aBar[n]^k·bBar[n] for k = 0..L−1 (Ā^k by repeated multiplication). */
    public static double[] kernel(double[] aBar, double[] bBar, double[] c, int length) {
        int n = aBar.length;
        if (bBar.length != n || c.length != n || n < 1 || length < 1)
            throw new IllegalArgumentException("SsmConvolution.kernel: aBar, bBar, c need one equal positive length (got "
                    + aBar.length + ", " + bBar.length + ", " + c.length + ") and L must be positive (got " + length + ")");
        double[] kernel = new double[length];
        double[] power = new double[n];                   // Ā[n]^k
        java.util.Arrays.fill(power, 1);
        for (int k = 0; k < length; k++) {
            double sum = 0;
            for (int s = 0; s < n; s++) sum += c[s] * power[s] * bBar[s];
            kernel[k] = sum;
            for (int s = 0; s < n; s++) power[s] *= aBar[s];
        }
        return kernel;
    }

    /** y_t = Σ_{k≤t} K̄_k·u_{t−k} + D·u_t. */
    public static double[] apply(double[] kernel, double[] u, double d) {
        if (kernel.length != u.length)
            throw new IllegalArgumentException("SsmConvolution.apply: kernel length " + kernel.length + " differs from input length " + u.length);
        double[] y = new double[u.length];
        for (int t = 0; t < u.length; t++) {
            double sum = d * u[t];
            for (int k = 0; k <= t; k++) sum += kernel[k] * u[t - k];
            y[t] = sum;
        }
        return y;
    }
}
