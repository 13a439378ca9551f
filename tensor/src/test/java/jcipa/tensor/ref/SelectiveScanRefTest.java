package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.tensor.ScanProblem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The float64 selective scan against facts derived independently of its code. */
class SelectiveScanRefTest {

    /** L = 1, N = 1 by hand: y = C·δ·B·u + D·u with δ = softplus(Δ + Δbias) = log 2 for Δ + Δbias = 0. */
    @Test
    void singleStepByHand() {
        double[] y = new double[1];
        SelectiveScanRef.forward(new double[] {3}, new double[] {0.5}, new double[] {-1}, new double[] {2},
                new double[] {5}, new double[] {7}, new double[] {-0.5}, 1, 1, 1, 1, 1, y);
        assertEquals(5 * Math.log(2) * 2 * 3 + 7 * 3, y[0], 1e-14);
    }

    /**
     * When δ, B and C do not change with t, the scan is a causal convolution:
     * y_t = Σ_{k≤t} K̄_k·u_{t−k} + D·u_t with K̄_k = Σ_n C[n]·Ā[n]^k·δ·B[n] and Ā^k = exp(k·δ·A).
     */
    @Property(tries = 80)
    void timeInvariantScanIsCausalConvolution(@ForAll @IntRange(min = 1, max = 2) int batch,
                                              @ForAll @IntRange(min = 1, max = 2) int groups,
                                              @ForAll @IntRange(min = 1, max = 3) int channelsPerGroup,
                                              @ForAll @IntRange(min = 1, max = 40) int L,
                                              @ForAll @IntRange(min = 1, max = 5) int N,
                                              @ForAll long seed) {
        ScanProblem p = ScanProblem.random(seed, batch, groups, channelsPerGroup, L, N, true, true);
        int KD = p.channels();
        // make Δ (per channel), B and C (per group and state) constant over time
        for (int row = 0; row < batch * KD; row++) {
            for (int t = 1; t < L; t++) p.delta[row * L + t] = p.delta[row * L];
        }
        for (int row = 0; row < batch * groups * N; row++) {
            for (int t = 1; t < L; t++) {
                p.B[row * L + t] = p.B[row * L];
                p.C[row * L + t] = p.C[row * L];
            }
        }
        double[] y = new double[p.sequenceSize()];
        SelectiveScanRef.forward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, batch, groups, channelsPerGroup,
                L, N, y);

        double[] conv = new double[y.length];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < KD; d++) {
                int g = d / channelsPerGroup, row = (b * KD + d) * L;
                double x = p.delta[row] + p.deltaBias[d];
                double step = x > 20 ? x : Math.log(1 + Math.exp(x));
                double[] kernel = new double[L];
                for (int k = 0; k < L; k++) {
                    for (int n = 0; n < N; n++) {
                        int bc = ((b * groups + g) * N + n) * L;
                        kernel[k] += p.C[bc] * Math.exp(k * step * p.A[d * N + n]) * step * p.B[bc];
                    }
                }
                for (int t = 0; t < L; t++) {
                    double sum = p.D[d] * p.u[row + t];
                    for (int k = 0; k <= t; k++) sum += kernel[k] * p.u[row + t - k];
                    conv[row + t] = sum;
                }
            }
        }
        double err = ScanProblem.relativeError(y, conv);
        assertTrue(err < 1e-12, "scan vs convolution: relative error " + err);
    }

    /** Every gradient of ℓ = Σ y·dy against central differences (ε = 1e-6) of the forward. */
    @Property(tries = 25)
    void backwardMatchesCentralDifferences(@ForAll @IntRange(min = 1, max = 2) int batch,
                                           @ForAll @IntRange(min = 1, max = 2) int groups,
                                           @ForAll @IntRange(min = 1, max = 3) int channelsPerGroup,
                                           @ForAll @IntRange(min = 1, max = 6) int L,
                                           @ForAll @IntRange(min = 1, max = 3) int N,
                                           @ForAll long seed) {
        ScanProblem p = ScanProblem.random(seed, batch, groups, channelsPerGroup, L, N, true, true);
        double[] du = new double[p.sequenceSize()], dDelta = new double[p.sequenceSize()];
        double[] dA = new double[p.A.length], dB = new double[p.B.length], dC = new double[p.C.length];
        double[] dD = new double[p.D.length], dBias = new double[p.deltaBias.length];
        SelectiveScanRef.backward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, batch, groups, channelsPerGroup,
                L, N, p.dy, du, dDelta, dA, dB, dC, dD, dBias);
        checkAgainstDifferences(p, "u", p.u, du);
        checkAgainstDifferences(p, "delta", p.delta, dDelta);
        checkAgainstDifferences(p, "A", p.A, dA);
        checkAgainstDifferences(p, "B", p.B, dB);
        checkAgainstDifferences(p, "C", p.C, dC);
        checkAgainstDifferences(p, "D", p.D, dD);
        checkAgainstDifferences(p, "deltaBias", p.deltaBias, dBias);
    }

    /** Without D and Δbias the gradients equal those with zero D and Δbias, and dD, dΔbias are not written. */
    @Test
    void nullSkipAndBiasActAsZero() {
        ScanProblem p = ScanProblem.random(7, 2, 2, 3, 9, 4, false, false);
        int seq = p.sequenceSize(), proj = p.projectionSize(), KD = p.channels();
        double[][] without = gradients(p, null, null, new double[] {42}, new double[] {43});
        double[][] zero = gradients(p, new double[KD], new double[KD], new double[KD], new double[KD]);
        for (int i = 0; i < 5; i++) assertTrue(java.util.Arrays.equals(without[i], zero[i]), "gradient " + i);
        assertEquals(42, without[5][0]);
        assertEquals(43, without[6][0]);
        assertEquals(seq, without[0].length);
        assertEquals(proj, without[3].length);
    }

    @Test
    void rejectsBadArguments() {
        double[] one = new double[1];
        var e = assertThrows(IllegalArgumentException.class, () -> SelectiveScanRef.forward(one, one, one, one,
                one, null, null, 1, 1, 1, 2, 1, one));
        assertTrue(e.getMessage().contains("SelectiveScanRef") && e.getMessage().contains("L=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SelectiveScanRef.forward(one, one, one, one, one, null,
                null, 1, 0, 1, 1, 1, one));
    }

    private static double[][] gradients(ScanProblem p, double[] D, double[] bias, double[] dD, double[] dBias) {
        double[] du = new double[p.sequenceSize()], dDelta = new double[p.sequenceSize()];
        double[] dA = new double[p.A.length], dB = new double[p.B.length], dC = new double[p.C.length];
        SelectiveScanRef.backward(p.u, p.delta, p.A, p.B, p.C, D, bias, p.batch, p.groups, p.channelsPerGroup,
                p.L, p.N, p.dy, du, dDelta, dA, dB, dC, dD, dBias);
        return new double[][] {du, dDelta, dA, dB, dC, dD, dBias};
    }

    private static void checkAgainstDifferences(ScanProblem p, String name, double[] x, double[] grad) {
        double eps = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + eps;
            double up = loss(p);
            x[i] = keep - eps;
            double down = loss(p);
            x[i] = keep;
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, grad[i], 1e-6 * (1 + Math.abs(numeric)), name + "[" + i + "]");
        }
    }

    private static double loss(ScanProblem p) {
        double[] y = new double[p.sequenceSize()];
        SelectiveScanRef.forward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, p.batch, p.groups,
                p.channelsPerGroup, p.L, p.N, y);
        double l = 0;
        for (int i = 0; i < y.length; i++) l += y[i] * p.dy[i];
        return l;
    }

}
