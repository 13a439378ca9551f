package jcipa.tensor.kernels;

import static jcipa.tensor.ScanProblem.toDouble;
import static jcipa.tensor.ScanProblem.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.tensor.ScanProblem;
import jcipa.tensor.parallel.Parallel;
import jcipa.tensor.ref.SelectiveScanRef;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The float32 selective scan against the float64 reference, and its bit-identity guarantees. */
class SelectiveScanTest {

    /** The documented bound of {@link SelectiveScan}: |kernel − reference| ≤ 1e-5 · magnitude, per tensor. */
    static final double BOUND = 1e-5;

    static final String[] NAMES = {"y", "du", "dDelta", "dA", "dB", "dC", "dD", "dDeltaBias"};

    @Property(tries = 60)
    void kernelMatchesReference(@ForAll @IntRange(min = 1, max = 2) int batch,
                                @ForAll @IntRange(min = 1, max = 2) int groups,
                                @ForAll("channels") int channelsPerGroup,
                                @ForAll("lengths") int L,
                                @ForAll("states") int N,
                                @ForAll boolean withD, @ForAll boolean withBias,
                                @ForAll long seed) {
        ScanProblem p = ScanProblem.random(seed, batch, groups, channelsPerGroup, L, N, withD, withBias);
        assertWithinBound(p, referenceResults(p), kernelResults(p, Simd.ENABLED));
    }

    /**
     * Checks every tensor against the bound. The magnitude of a tensor is the largest of: max|reference|;
     * max|reference| on the magnitude problem (|u|, |B|, |C|, |D|, |dy|; there h, G and every term
     * of y, du, dA, dB, dC, dD are ≥ the absolute values of the original's, so each of those sums is
     * ≥ the sum of |terms|); and for dΔbias, Σ_{b,t} |dΔ| of each channel. Relative to max|reference|
     * alone a tensor of one or two elements (L = 1, or a single channel's dD) can cancel to near zero.
     */
    static void assertWithinBound(ScanProblem p, double[][] want, float[][] got) {
        double[][] magnitude = referenceResults(p.magnitudeProblem());
        for (int i = 0; i < NAMES.length; i++) {
            if (want[i] == null) continue;
            double scale = Math.max(maxAbs(want[i]), maxAbs(magnitude[i]));
            if (NAMES[i].equals("dDeltaBias")) scale = Math.max(scale, maxChannelSum(want[2], p));
            double err = 0;
            for (int j = 0; j < want[i].length; j++) err = Math.max(err, Math.abs(got[i][j] - want[i][j]));
            assertTrue(err <= BOUND * scale, NAMES[i] + ": error " + err + " > " + BOUND + " · " + scale);
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** max over channels d of Σ_{b,t} |x[b,d,t]|. */
    private static double maxChannelSum(double[] x, ScanProblem p) {
        double m = 0;
        for (int d = 0; d < p.channels(); d++) {
            double s = 0;
            for (int b = 0; b < p.batch; b++) {
                for (int t = 0; t < p.L; t++) s += Math.abs(x[(b * p.channels() + d) * p.L + t]);
            }
            m = Math.max(m, s);
        }
        return m;
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> channels() {
        return net.jqwik.api.Arbitraries.of(1, 3, 16, 17, 40);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> lengths() {
        return net.jqwik.api.Arbitraries.of(1, 3, 17, 64, 65, 257);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> states() {
        return net.jqwik.api.Arbitraries.of(1, 4, 16);
    }

    /** The vector path (any width) and the scalar path give the same bits. */
    @Test
    void vectorAndScalarPathsAgreeBitForBit() {
        int[] sizes = {1, 3, 17, 257}, lengths = {1, 3, 17, 2 * ScanBlock.SEGMENT + 1};
        long seed = 11;
        for (int dg : sizes) {
            for (int L : lengths) {
                if ((long) dg * L > 20_000) continue;
                ScanProblem p = ScanProblem.random(seed++, 2, 2, dg, L, 4, true, true);
                float[][] vector = kernelResults(p, true), scalar = kernelResults(p, false);
                for (int i = 0; i < NAMES.length; i++) {
                    assertArrayEquals(bits(scalar[i]), bits(vector[i]), NAMES[i] + " Dg=" + dg + " L=" + L);
                }
            }
        }
    }

    /**
     * Segments whose δ·A leave exp's moderate range (a large δ, a NaN) take the full exp and the
     * others the short one; either way the vector path gives the scalar path's bits.
     */
    @Test
    void segmentsOutsideTheModerateExpRangeKeepTheBits() {
        int seg = ScanBlock.SEGMENT;
        ScanProblem p = ScanProblem.random(23, 1, 2, 17, 4 * seg + 1, 4, true, true);
        int L = p.L;
        p.delta[5 * L + seg + 6] = 60;           // channel 5, segment 1: δ·A down to about −270
        p.delta[20 * L + 3 * seg + 8] = 1e30;    // channel 20 (group 1), segment 3: δ·A = −∞
        p.delta[2 * L + 2 * seg + 2] = Double.NaN;  // channel 2, segment 2
        float[][] vector = kernelResults(p, true), scalar = kernelResults(p, false);
        for (int i = 0; i < NAMES.length; i++) assertArrayEquals(bits(scalar[i]), bits(vector[i]), NAMES[i]);
    }

    /**
     * A backward that starts from the states its forward kept gives the bits of one that recomputes them: long and
     * ragged sequences, several batch elements per task (short sequences), a partial channel block, one segment
     * (nothing kept), on the vector and the scalar path.
     */
    @Test
    void backwardFromKeptStatesKeepsTheBits() {
        int seg = ScanBlock.SEGMENT;
        int[][] cases = {{1, 2, 19, 4 * seg + 1, 4}, {12, 1, 16, 100, 3}, {2, 2, 33, seg, 5}, {3, 1, 8, seg + 1, 16}};
        for (int[] c : cases) {
            ScanProblem p = ScanProblem.random(31 + c[3], c[0], c[1], c[2], c[3], c[4], true, true);
            for (boolean vector : new boolean[] {true, false}) {
                float[][] recomputed = kernelResults(p, vector);
                float[][] kept = kernelResultsFromKeptStates(p, vector, c[3] > ScanBlock.SEGMENT);
                for (int i = 0; i < NAMES.length; i++)
                    assertArrayEquals(bits(recomputed[i]), bits(kept[i]), NAMES[i] + " " + java.util.Arrays.toString(c) + " vector " + vector);
            }
        }
        ScanProblem p = ScanProblem.random(7, 1, 1, 16, 2 * seg + 2, 4, false, false);
        SelectiveScan.Dims dims = new SelectiveScan.Dims(1, 1, 16, 2 * seg + 2, 4), other = new SelectiveScan.Dims(1, 1, 16, 2 * seg + 1, 4);
        float[] u = toFloat(p.u), delta = toFloat(p.delta), A = toFloat(p.A), B = toFloat(p.B), C = toFloat(p.C);
        SelectiveScan.States states = SelectiveScan.forwardKeepingStates(u, delta, A, B, C, null, null, dims, new float[u.length]);
        float[] f = new float[u.length], small = new float[A.length], proj = new float[B.length];
        var e = assertThrows(IllegalArgumentException.class, () -> SelectiveScan.backward(u, delta, A, B, C, null, null, dims,
                f, f.clone(), f.clone(), small, proj, proj.clone(), null, null, new SelectiveScan.States(other, states.h())));
        assertTrue(e.getMessage().contains("states kept for"), e.getMessage());
    }

    /** {@link #kernelResults} with the backward started from the states the forward kept (which must exist iff expected). */
    static float[][] kernelResultsFromKeptStates(ScanProblem p, boolean vector, boolean expectStates) {
        return kernelResults(p, vector, true, expectStates);
    }

    /** 1 thread and 3 threads give the same bits (several channel blocks per group, batch 3). */
    @Test
    void resultsDoNotDependOnThreadCount() {
        ScanProblem p = ScanProblem.random(5, 3, 2, 40, 2 * ScanBlock.SEGMENT + 2, 4, true, true);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = kernelResults(p, Simd.ENABLED);
            Parallel.setThreads(3);
            float[][] three = kernelResults(p, Simd.ENABLED);
            for (int i = 0; i < NAMES.length; i++) assertArrayEquals(bits(one[i]), bits(three[i]), NAMES[i]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** Inputs above softplus's cut (Δ + Δbias > 20) take δ = x and softplus′ = 1, as the reference does. */
    @Test
    void largeStepsUseTheLinearBranch() {
        ScanProblem p = ScanProblem.random(3, 1, 1, 5, 20, 4, true, true);
        for (int i = 0; i < p.delta.length; i += 3) p.delta[i] = 20.5 + 20 * (i % 7);   // up to 140: e^x would overflow float32
        assertWithinBound(p, referenceResults(p), kernelResults(p, Simd.ENABLED));
    }

    @Test
    void rejectsBadArguments() {
        float[] one = new float[1];
        var e = assertThrows(IllegalArgumentException.class, () -> SelectiveScan.forward(one, one, one, one, one,
                null, null, 1, 1, 1, 2, 1, one));
        assertTrue(e.getMessage().contains("SelectiveScan") && e.getMessage().contains("L=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SelectiveScan.forward(one, one, one, one, one, null,
                null, 1, 1, 0, 1, 1, one));
        assertThrows(IllegalArgumentException.class, () -> SelectiveScan.backward(one, one, one, one, one, null,
                null, 1, 1, 1, 1, 1, one, one, one, one, one, new float[2], null, null));
    }

    /** y, du, dΔ, dA, dB, dC, dD, dΔbias from the float64 reference (null for skipped gradients). */
    static double[][] referenceResults(ScanProblem p) {
        double[] y = new double[p.sequenceSize()], du = new double[y.length], dDelta = new double[y.length];
        double[] dA = new double[p.A.length], dB = new double[p.B.length], dC = new double[p.C.length];
        double[] dD = p.D == null ? null : new double[p.channels()];
        double[] dBias = p.deltaBias == null ? null : new double[p.channels()];
        SelectiveScanRef.forward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, p.batch, p.groups,
                p.channelsPerGroup, p.L, p.N, y);
        SelectiveScanRef.backward(p.u, p.delta, p.A, p.B, p.C, p.D, p.deltaBias, p.batch, p.groups,
                p.channelsPerGroup, p.L, p.N, p.dy, du, dDelta, dA, dB, dC, dD, dBias);
        return new double[][] {y, du, dDelta, dA, dB, dC, dD, dBias};
    }

    /** The same from the float32 kernel, on its vector or scalar path. */
    static float[][] kernelResults(ScanProblem p, boolean vector) {
        return kernelResults(p, vector, false, false);
    }

    /** {@link #kernelResults}; with {@code keepStates} the backward starts from the states the forward kept (asserted to exist iff expected). */
    static float[][] kernelResults(ScanProblem p, boolean vector, boolean keepStates, boolean expectStates) {
        float[] u = toFloat(p.u), delta = toFloat(p.delta), A = toFloat(p.A), B = toFloat(p.B), C = toFloat(p.C);
        float[] D = toFloat(p.D), bias = toFloat(p.deltaBias), dy = toFloat(p.dy);
        var dims = new SelectiveScan.Dims(p.batch, p.groups, p.channelsPerGroup, p.L, p.N);
        float[] y = new float[p.sequenceSize()], du = new float[y.length], dDelta = new float[y.length];
        float[] dA = new float[A.length], dB = new float[B.length], dC = new float[C.length];
        float[] dD = D == null ? null : new float[p.channels()];
        float[] dBias = bias == null ? null : new float[p.channels()];
        SelectiveScan.States states = SelectiveScan.forward(vector, u, delta, A, B, C, D, bias, dims, y, keepStates);
        if (keepStates) assertTrue(expectStates == (states != null), "states kept: " + (states != null));
        SelectiveScan.backward(vector, u, delta, A, B, C, D, bias, dims, dy, du, dDelta, dA, dB, dC, dD, dBias, states);
        return new float[][] {y, du, dDelta, dA, dB, dC, dD, dBias};
    }

    static int[] bits(float[] a) {
        if (a == null) return null;
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }
}
