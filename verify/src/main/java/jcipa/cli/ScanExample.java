package jcipa.cli;

import java.util.SplittableRandom;

import jcipa.tensor.ref.Discretisation;
import jcipa.tensor.ref.SelectiveScanRef;
import jcipa.tensor.ref.SsmConvolution;

/**
 * A small selective-scan problem for {@code cipa explain scan}: C channels that share B and C (one
 * group, as the channels of one SS2D direction do), L steps, N states, every input a multiple of
 * 0.01 so that a reader can redo the arithmetic. Shapes: u, Δ (C, L); A (C, N); B, C (N, L);
 * D, Δbias (C).
 */
record ScanExample(int channels, int length, int states, double[][] u, double[][] delta, double[] deltaBias,
                   double[][] a, double[][] b, double[][] c, double[] d) {

    /** Inputs from {@code seed}: u, B, C in [−1, 1]; Δ in [−1.5, 1]; Δbias in [−0.5, 0]; A[c][n] = −(n+1)·(1 + c/2); D in [0.5, 1.5]. */
    static ScanExample random(int channels, int length, int states, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] u = grid(r, channels, length, -100, 100), delta = grid(r, channels, length, -150, 100);
        double[][] b = grid(r, states, length, -100, 100), c = grid(r, states, length, -100, 100);
        double[] bias = grid(r, 1, channels, -50, 0)[0], d = grid(r, 1, channels, 50, 150)[0];
        double[][] a = new double[channels][states];
        for (int ch = 0; ch < channels; ch++)
            for (int n = 0; n < states; n++) a[ch][n] = -(n + 1) * (1 + ch / 2.0);
        return new ScanExample(channels, length, states, u, delta, bias, a, b, c, d);
    }

    /** The same problem with Δ, B and C held at their t = 0 values: a time-invariant SSM. */
    ScanExample timeInvariant() {
        return new ScanExample(channels, length, states, u, heldAtStart(delta), deltaBias, a, heldAtStart(b), heldAtStart(c), d);
    }

    /** One time step of one channel: δ, Ā[n], B̄u[n] (Euler), B̄u[n] under zero-order hold (not used), h[n], y. */
    record Step(double delta, double[] aBar, double[] bBarU, double[] zohBBarU, double[] h, double y) {}

    /** The recurrence h_t = Ā_t ⊙ h_{t−1} + B̄u_t, y_t = C_t·h_t + D·u_t of channel {@code ch}, step by step. */
    Step[] walk(int ch) {
        Step[] steps = new Step[length];
        double[] h = new double[states];
        for (int t = 0; t < length; t++) {
            double step = SelectiveScanRef.softplus(delta[ch][t] + deltaBias[ch]);
            double[] aBar = new double[states], bBarU = new double[states], zoh = new double[states], next = new double[states];
            double y = d[ch] * u[ch][t];
            for (int n = 0; n < states; n++) {
                aBar[n] = Discretisation.aBar(step, a[ch][n]);
                bBarU[n] = Discretisation.bBarEuler(step, b[n][t]) * u[ch][t];
                zoh[n] = Discretisation.bBarZeroOrderHold(step, a[ch][n], b[n][t]) * u[ch][t];
                next[n] = aBar[n] * h[n] + bBarU[n];
                y += c[n][t] * next[n];
            }
            h = next;
            steps[t] = new Step(step, aBar, bBarU, zoh, next.clone(), y);
        }
        return steps;
    }

    /** y (C, L) from {@link SelectiveScanRef#forward}, the float64 reference the kernels are tested against. */
    double[][] reference() {
        double[] y = new double[channels * length];
        SelectiveScanRef.forward(flat(u), flat(delta), flat(a), flat(b), flat(c), d, deltaBias, 1, 1, channels, length, states, y);
        double[][] out = new double[channels][length];
        for (int ch = 0; ch < channels; ch++) System.arraycopy(y, ch * length, out[ch], 0, length);
        return out;
    }

    /** K̄_k = Σ_n C[n]·Ā[n]^k·B̄[n] of channel {@code ch} from the t = 0 values of δ, B and C. */
    double[] kernel(int ch) {
        double step = SelectiveScanRef.softplus(delta[ch][0] + deltaBias[ch]);
        double[] aBar = new double[states], bBar = new double[states], cn = new double[states];
        for (int n = 0; n < states; n++) {
            aBar[n] = Discretisation.aBar(step, a[ch][n]);
            bBar[n] = Discretisation.bBarEuler(step, b[n][0]);
            cn[n] = c[n][0];
        }
        return SsmConvolution.kernel(aBar, bBar, cn, length);
    }

    /** y = K̄ ∗ u + D·u for channel {@code ch} (exact only when Δ, B, C are time-invariant). */
    double[] convolution(int ch) {
        return SsmConvolution.apply(kernel(ch), u[ch], d[ch]);
    }

    private static double[][] grid(SplittableRandom r, int rows, int cols, int lowHundredths, int highHundredths) {
        double[][] g = new double[rows][cols];
        for (double[] row : g)
            for (int j = 0; j < cols; j++) row[j] = r.nextInt(lowHundredths, highHundredths + 1) / 100.0;
        return g;
    }

    private static double[][] heldAtStart(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            java.util.Arrays.fill(out[i], x[i][0]);
        }
        return out;
    }

    private static double[] flat(double[][] x) {
        int cols = x[0].length;
        double[] f = new double[x.length * cols];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, f, i * cols, cols);
        return f;
    }
}
