package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused channels-last SS2D core against the op-by-op float32 path it replaces at inference
 * (CrossScan, x_proj and Δ as Gemms, SelectiveScan, CrossMerge): the same bits, on both the vector and
 * the scalar path, for odd sizes, partial channel blocks, short and long sequences, with and without
 * D and Δbias, and with step sizes large enough to leave exp's moderate range.
 */
class CrossSelectiveScanTest {
    private static final int K = CrossSelectiveScan.DIRECTIONS;

    /** A problem: x channels-last (B, H, W, D) and the weights, all float32. */
    private record Problem(int batch, int height, int width, int d, int rank, int n, float[] x, float[] xProjW,
                           float[] dtW, float[] dtBias, float[] A, float[] Ds) {
        int L() { return height * width; }
        int P() { return rank + 2 * n; }
    }

    private static Problem problem(SplittableRandom r, int batch, int height, int width, int d, int rank, int n,
                                   boolean bias, boolean skip, float biasLevel) {
        float[] x = gaussian(r, batch * height * width * d, 1f);
        float[] xProjW = gaussian(r, K * (rank + 2 * n) * d, (float) (1 / Math.sqrt(d)));
        float[] dtW = gaussian(r, K * d * rank, 0.5f);
        float[] dtBias = bias ? gaussian(r, K * d, 0.5f) : null;
        if (dtBias != null) for (int i = 0; i < dtBias.length; i++) dtBias[i] += biasLevel;
        float[] A = new float[K * d * n];
        for (int i = 0; i < A.length; i++) A[i] = -(float) (0.2 + r.nextDouble() * (i % n + 1));
        float[] Ds = skip ? gaussian(r, K * d, 1f) : null;
        return new Problem(batch, height, width, d, rank, n, x, xProjW, dtW, dtBias, A, Ds);
    }

    private static float[] gaussian(SplittableRandom r, int size, float scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            double u1 = r.nextDouble(), u2 = r.nextDouble();
            a[i] = (float) (scale * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return a;
    }

    /** The op-by-op path: y (B, H, W, D) from the same inputs, as SS2D computes it when gradients are recorded. */
    private static float[] opByOp(Problem p, boolean vector) {
        int B = p.batch(), H = p.height(), W = p.width(), D = p.d(), L = p.L(), P = p.P(), R = p.rank(), N = p.n();
        float[] xChannelsFirst = new float[B * D * L];
        for (int b = 0; b < B; b++)
            for (int l = 0; l < L; l++)
                for (int c = 0; c < D; c++) xChannelsFirst[(b * D + c) * L + l] = p.x()[(b * L + l) * D + c];
        float[] xs = new float[B * K * D * L];
        CrossScan.crossScan(xChannelsFirst, B, D, H, W, xs);
        float[] xDbl = new float[B * K * P * L], delta = new float[B * K * D * L];
        float[] Bs = new float[B * K * N * L], Cs = new float[B * K * N * L];
        for (int b = 0; b < B; b++) {
            for (int k = 0; k < K; k++) {
                int seq = (b * K + k) * D * L, proj = (b * K + k) * P * L;
                Gemm.gemm(false, false, P, L, D, p.xProjW(), k * P * D, xs, seq, xDbl, proj, false);
                Gemm.gemm(false, false, D, L, R, p.dtW(), k * D * R, xDbl, proj, delta, seq, false);
                System.arraycopy(xDbl, proj + R * L, Bs, (b * K + k) * N * L, N * L);
                System.arraycopy(xDbl, proj + (R + N) * L, Cs, (b * K + k) * N * L, N * L);
            }
        }
        float[] ys = new float[B * K * D * L];
        SelectiveScan.forward(vector, xs, delta, p.A(), Bs, Cs, p.Ds(), p.dtBias(), new SelectiveScan.Dims(B, K, D, L, N), ys);
        float[] merged = new float[B * D * L], y = new float[B * L * D];
        CrossScan.crossMerge(ys, B, D, H, W, merged);
        for (int b = 0; b < B; b++)
            for (int l = 0; l < L; l++)
                for (int c = 0; c < D; c++) y[(b * L + l) * D + c] = merged[(b * D + c) * L + l];
        return y;
    }

    private static float[] fused(Problem p, boolean vector) {
        float[] y = new float[p.batch() * p.L() * p.d()];
        CrossSelectiveScan.forward(vector, p.x(), p.xProjW(), p.dtW(), p.dtBias(), p.A(), p.Ds(), p.batch(), p.height(), p.width(),
                p.d(), p.rank(), p.n(), y, false);
        return y;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i]))
                throw new AssertionError(what + ": element " + i + " differs: " + expected[i] + " vs " + actual[i]);
        }
    }

    @Property(tries = 60)
    void sameBitsAsTheOpByOpPath(@ForAll @IntRange(min = 1, max = 3) int batch,
                                 @ForAll @IntRange(min = 1, max = 9) int height,
                                 @ForAll @IntRange(min = 1, max = 11) int width,
                                 @ForAll @IntRange(min = 1, max = 40) int d,
                                 @ForAll @IntRange(min = 1, max = 3) int rank,
                                 @ForAll @IntRange(min = 1, max = 17) int n,
                                 @ForAll boolean bias, @ForAll boolean skip, @ForAll long seed) {
        Problem p = problem(new SplittableRandom(seed), batch, height, width, d, rank, n, bias, skip, -1f);
        float[] expected = opByOp(p, true);
        assertSameBits(expected, fused(p, true), "vector path");
        assertSameBits(expected, fused(p, false), "scalar path");
        assertSameBits(expected, opByOp(p, false), "op-by-op scalar path");
    }

    /** Sequences longer than a segment (23·13 = 299 steps > 256), several channel blocks, and step sizes beyond exp's moderate range. */
    @Test
    void longSequencesAndLargeSteps() {
        SplittableRandom r = new SplittableRandom(7);
        for (float biasLevel : new float[] {-3f, 70f}) {
            assertTrue(23 * 13 > ScanBlock.SEGMENT, "longer than a segment");
            Problem p = problem(r, 2, 23, 13, 37, 2, 16, true, true, biasLevel);
            float[] expected = opByOp(p, true);
            assertSameBits(expected, fused(p, true), "vector path, Δbias level " + biasLevel);
            assertSameBits(expected, fused(p, false), "scalar path, Δbias level " + biasLevel);
            boolean finite = true;
            for (float v : expected) finite &= Float.isFinite(v);
            assertTrue(finite, "outputs are finite");
        }
    }

    /**
     * The working arrays kept between calls (Scratch) carry nothing over: a problem gives the same bits after
     * another problem of the same shape (a partial last channel block, so the padding lanes are involved) as on
     * its own, whichever ran first.
     */
    @Test
    void aCallAfterAnotherOfTheSameShapeGivesItsOwnBits() {
        Problem a = problem(new SplittableRandom(11), 1, 7, 9, 21, 2, 5, true, true, -1f);
        Problem b = problem(new SplittableRandom(12), 1, 7, 9, 21, 2, 5, true, true, 2f);
        float[] bAlone = opByOp(b, true), aAlone = opByOp(a, true);
        for (int round = 0; round < 2; round++) {
            assertSameBits(aAlone, fused(a, true), "a, round " + round);
            assertSameBits(bAlone, fused(b, true), "b after a, round " + round);
        }
    }

    /** Step t of direction k visits pixel p_k(t): the orders CrossScan writes (row-major, column-major, reversed). */
    @Test
    void pixelOrderIsCrossScans() {
        int H = 3, W = 4, L = H * W;
        float[] x = new float[L], xs = new float[K * L];
        for (int p = 0; p < L; p++) x[p] = p;
        CrossScan.crossScan(x, 1, 1, H, W, xs);
        for (int k = 0; k < K; k++)
            for (int t = 0; t < L; t++) assertEquals(xs[k * L + t], CrossSelectiveScan.pixel(k, t, H, W), "k=" + k + " t=" + t);
    }

    @Test
    void wrongLengthsAreNamed() {
        Problem p = problem(new SplittableRandom(1), 1, 2, 2, 4, 1, 2, true, true, 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrossSelectiveScan.forward(p.x(),
                new float[3], p.dtW(), p.dtBias(), p.A(), p.Ds(), 1, 2, 2, 4, 1, 2, new float[16]));
        assertTrue(e.getMessage().contains("xProjW"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossSelectiveScan.forward(p.x(), p.xProjW(), p.dtW(), p.dtBias(),
                p.A(), p.Ds(), 1, 2, 2, 4, 1, 2, new float[15]));
        assertTrue(e.getMessage().contains("y has length 15"), e.getMessage());
    }
}
