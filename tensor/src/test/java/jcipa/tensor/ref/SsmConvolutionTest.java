package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.tensor.ScanProblem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The convolution form (eq. 2) against the recurrence (eq. 1): equal exactly when Δ, B, C are time-invariant. */
class SsmConvolutionTest {

    @Property(tries = 60)
    void equalsTheRecurrenceWhenDeltaBAndCAreTimeInvariant(@ForAll @IntRange(min = 1, max = 24) int L,
                                                          @ForAll @IntRange(min = 1, max = 4) int N,
                                                          @ForAll long seed) {
        ScanProblem p = timeInvariant(ScanProblem.random(seed, 1, 1, 1, L, N, true, true));
        double[] scan = new double[L];
        SelectiveScanRef.forward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, 1, 1, 1, L, N, scan);
        double[] conv = convolution(p);
        double err = ScanProblem.relativeError(scan, conv);
        assertTrue(err < 1e-12, "recurrence vs convolution: relative error " + err);
    }

    /** With Δ varying over t (a selective scan) the lag-only kernel no longer reproduces the output. */
    @Test
    void differsFromTheRecurrenceWhenDeltaVaries() {
        ScanProblem p = timeInvariant(ScanProblem.random(11, 1, 1, 1, 12, 3, true, true));
        for (int t = 0; t < p.L; t++) p.delta[t] = -1.5 + 0.25 * t;          // selective: δ_t changes
        double[] scan = new double[p.L];
        SelectiveScanRef.forward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, 1, 1, 1, p.L, p.N, scan);
        double[] conv = convolution(p);                                     // built from δ_0 only
        double err = ScanProblem.relativeError(scan, conv);
        assertTrue(err > 0.05, "a selective scan should not be a convolution, relative difference " + err);
    }

    @Test
    void kernelByHand() {
        // one state: K̄_k = c·Ā^k·B̄
        assertArrayEquals(new double[] {6, 3, 1.5}, SsmConvolution.kernel(new double[] {0.5}, new double[] {2},
                new double[] {3}, 3), 0);
        assertArrayEquals(new double[] {2, 4, 3.5}, SsmConvolution.apply(new double[] {6, 3, 1.5},
                new double[] {1, 0.5, 0.25}, -4), 0);
        assertThrows(IllegalArgumentException.class, () -> SsmConvolution.kernel(new double[1], new double[2], new double[1], 3));
        assertThrows(IllegalArgumentException.class, () -> SsmConvolution.apply(new double[2], new double[3], 0));
    }

    /** Δ, B and C of time step 0 copied to every step. */
    private static ScanProblem timeInvariant(ScanProblem p) {
        for (int t = 1; t < p.L; t++) p.delta[t] = p.delta[0];
        for (int n = 0; n < p.N; n++) {
            for (int t = 1; t < p.L; t++) {
                p.B[n * p.L + t] = p.B[n * p.L];
                p.C[n * p.L + t] = p.C[n * p.L];
            }
        }
        return p;
    }

    /** The convolution form from step 0's δ, B, C (one channel, batch 1). */
    private static double[] convolution(ScanProblem p) {
        double step = SelectiveScanRef.softplus(p.delta[0] + p.deltaBias[0]);
        double[] aBar = new double[p.N], bBar = new double[p.N], c = new double[p.N];
        for (int n = 0; n < p.N; n++) {
            aBar[n] = Discretisation.aBar(step, p.A[n]);
            bBar[n] = Discretisation.bBarEuler(step, p.B[n * p.L]);
            c[n] = p.C[n * p.L];
        }
        return SsmConvolution.apply(SsmConvolution.kernel(aBar, bBar, c, p.L), p.u, p.D[0]);
    }
}
