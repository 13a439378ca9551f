package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcipa.tensor.ScanProblem;
import jcipa.tensor.parallel.Parallel;
import jcipa.tensor.ref.SelectiveScanRef;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fused channels-last SS2D backward against a float64 reference written as the chain rule of the op-by-op
 * path (CrossScan, x_proj, Δ = dtW·Δraw, {@link SelectiveScanRef}'s backward, CrossMerge), and its bits on the
 * vector and scalar paths and for 1 and 3 threads: odd sizes, partial channel blocks, batches, sequences longer
 * than a segment, with and without D and Δbias.
 */
class CrossSelectiveScanBackwardTest {
    private static final int K = CrossSelectiveScan.DIRECTIONS;
    private static final String[] NAMES = {"dx", "dXProjW", "dDtW", "dDtBias", "dA", "dDs"};

    private record Problem(int batch, int height, int width, int d, int rank, int n, float[] x, float[] dy, float[] xProjW,
                           float[] dtW, float[] dtBias, float[] A, float[] Ds) {
        int L() { return height * width; }
        int P() { return rank + 2 * n; }
    }

    private static Problem problem(long seed, int batch, int height, int width, int d, int rank, int n, boolean bias, boolean skip) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = uniform(r, batch * height * width * d, 1f), dy = uniform(r, batch * height * width * d, 1f);
        float[] xProjW = uniform(r, K * (rank + 2 * n) * d, (float) (1 / Math.sqrt(d)));
        float[] dtW = uniform(r, K * d * rank, 0.5f);
        float[] dtBias = bias ? uniform(r, K * d, 0.5f) : null;
        if (dtBias != null) for (int i = 0; i < dtBias.length; i++) dtBias[i] -= 2f;
        float[] A = new float[K * d * n];
        for (int i = 0; i < A.length; i++) A[i] = -(float) (0.2 + r.nextDouble() * (i % n + 1));
        float[] Ds = skip ? uniform(r, K * d, 1f) : null;
        return new Problem(batch, height, width, d, rank, n, x, dy, xProjW, dtW, dtBias, A, Ds);
    }

    private static float[] uniform(SplittableRandom r, int size, float scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) (scale * (2 * r.nextDouble() - 1));
        return a;
    }

    /** Our gradients, in the order of {@link #NAMES}. */
    private static float[][] fused(Problem p, boolean vector) {
        int B = p.batch(), L = p.L(), D = p.d(), R = p.rank(), N = p.n(), P = p.P();
        float[] y = new float[B * L * D];
        CrossSelectiveScan.Kept kept = CrossSelectiveScan.forward(vector, p.x(), p.xProjW(), p.dtW(), p.dtBias(), p.A(), p.Ds(),
                B, p.height(), p.width(), D, R, N, y, true);
        float[][] g = {new float[B * L * D], new float[K * P * D], new float[K * D * R], p.dtBias() == null ? null : new float[K * D],
                new float[K * D * N], p.Ds() == null ? null : new float[K * D]};
        CrossSelectiveScanBackward.run(vector, p.x(), p.dy(), p.xProjW(), p.dtW(), p.dtBias(), p.A(), p.Ds(), B, p.height(), p.width(),
                D, R, N, kept, g[0], g[1], g[2], g[3], g[4], g[5]);
        return g;
    }

    /** The float64 chain rule of the op-by-op path, in the order of {@link #NAMES}. */
    private static double[][] reference(Problem p) {
        int B = p.batch(), H = p.height(), W = p.width(), L = p.L(), D = p.d(), R = p.rank(), N = p.n(), P = p.P();
        double[] u = new double[B * K * D * L], delta = new double[B * K * D * L], dyk = new double[B * K * D * L];
        double[] Bs = new double[B * K * N * L], Cs = new double[B * K * N * L], raw = new double[B * K * L * R];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
                for (int t = 0; t < L; t++) {
                    int pix = (b * L + CrossSelectiveScan.pixel(k, t, H, W)) * D;
                    for (int c = 0; c < D; c++) {
                        u[((b * K + k) * D + c) * L + t] = p.x()[pix + c];
                        dyk[((b * K + k) * D + c) * L + t] = p.dy()[pix + c];
                    }
                    for (int q = 0; q < P; q++) {
                        double v = 0;
                        for (int c = 0; c < D; c++) v += (double) p.xProjW()[(k * P + q) * D + c] * p.x()[pix + c];
                        if (q < R) raw[((b * K + k) * L + t) * R + q] = v;
                        else if (q < R + N) Bs[((b * K + k) * N + q - R) * L + t] = v;
                        else Cs[((b * K + k) * N + q - R - N) * L + t] = v;
                    }
                    for (int c = 0; c < D; c++) {
                        double v = 0;
                        for (int q = 0; q < R; q++) v += (double) p.dtW()[(k * D + c) * R + q] * raw[((b * K + k) * L + t) * R + q];
                        delta[((b * K + k) * D + c) * L + t] = v;
                    }
                }
        double[] du = new double[u.length], dDelta = new double[u.length], dB = new double[Bs.length], dC = new double[Cs.length];
        double[][] g = {new double[B * L * D], new double[K * P * D], new double[K * D * R], p.dtBias() == null ? null : new double[K * D],
                new double[K * D * N], p.Ds() == null ? null : new double[K * D]};
        SelectiveScanRef.backward(u, delta, ScanProblem.toDouble(p.A()), Bs, Cs, ScanProblem.toDouble(p.Ds()), ScanProblem.toDouble(p.dtBias()), B, K, D, L, N, dyk,
                du, dDelta, g[4], dB, dC, g[5], g[3]);
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
                for (int t = 0; t < L; t++) {
                    int pix = (b * L + CrossSelectiveScan.pixel(k, t, H, W)) * D;
                    double[] dproj = new double[P];
                    for (int q = 0; q < R; q++)
                        for (int c = 0; c < D; c++) dproj[q] += p.dtW()[(k * D + c) * R + q] * dDelta[((b * K + k) * D + c) * L + t];
                    for (int n = 0; n < N; n++) {
                        dproj[R + n] = dB[((b * K + k) * N + n) * L + t];
                        dproj[R + N + n] = dC[((b * K + k) * N + n) * L + t];
                    }
                    for (int c = 0; c < D; c++) {
                        for (int q = 0; q < R; q++)
                            g[2][(k * D + c) * R + q] += dDelta[((b * K + k) * D + c) * L + t] * raw[((b * K + k) * L + t) * R + q];
                        double dxc = du[((b * K + k) * D + c) * L + t];
                        for (int q = 0; q < P; q++) {
                            dxc += p.xProjW()[(k * P + q) * D + c] * dproj[q];
                            g[1][(k * P + q) * D + c] += dproj[q] * p.x()[pix + c];
                        }
                        g[0][pix + c] += dxc;
                    }
                }
        return g;
    }

    /** Each gradient within 2e-5 of the reference's largest magnitude (float32 sums of a few hundred terms; exactly 0 where it is, as dA at L = 1). */
    private static void assertNearReference(Problem p, float[][] ours, String what) {
        double[][] ref = reference(p);
        for (int i = 0; i < NAMES.length; i++) {
            assertEquals(ref[i] == null, ours[i] == null, what + " " + NAMES[i] + " present");
            if (ref[i] == null) continue;
            double max = 0, err = 0;
            for (int j = 0; j < ref[i].length; j++) {
                max = Math.max(max, Math.abs(ref[i][j]));
                err = Math.max(err, Math.abs(ref[i][j] - ours[i][j]));
            }
            assertTrue(err <= 2e-5 * max, what + " " + NAMES[i] + ": max error " + err + " against max " + max);
        }
    }

    private static void assertSameBits(float[][] a, float[][] b, String what) {
        for (int i = 0; i < NAMES.length; i++) {
            assertEquals(a[i] == null, b[i] == null, what + " " + NAMES[i]);
            if (a[i] == null) continue;
            for (int j = 0; j < a[i].length; j++)
                if (Float.floatToRawIntBits(a[i][j]) != Float.floatToRawIntBits(b[i][j]))
                    throw new AssertionError(what + " " + NAMES[i] + "[" + j + "]: " + a[i][j] + " vs " + b[i][j]);
        }
    }

    @Property(tries = 25)
    void matchesTheFloat64ChainRuleWithTheScalarPathsBits(@ForAll @IntRange(min = 1, max = 2) int batch,
                                                           @ForAll @IntRange(min = 1, max = 7) int height,
                                                           @ForAll @IntRange(min = 1, max = 9) int width,
                                                           @ForAll @IntRange(min = 1, max = 37) int d,
                                                           @ForAll @IntRange(min = 1, max = 3) int rank,
                                                           @ForAll @IntRange(min = 1, max = 6) int n,
                                                           @ForAll boolean bias, @ForAll boolean skip, @ForAll long seed) {
        Problem p = problem(seed, batch, height, width, d, rank, n, bias, skip);
        float[][] vector = fused(p, true);
        assertNearReference(p, vector, "vector path");
        assertSameBits(fused(p, false), vector, "scalar path");
    }

    /** Sequences of several segments (the kept states), two channel blocks and a partial one, batch 2. */
    @Test
    void longSequences() {
        int side = 17;
        assertTrue(side * side > ScanBlock.SEGMENT, "longer than a segment");
        Problem p = problem(5, 2, side, side, 37, 2, 4, true, true);
        float[][] vector = fused(p, true);
        assertNearReference(p, vector, "vector path");
        assertSameBits(fused(p, false), vector, "scalar path");
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Problem p = problem(9, 3, 9, 31, 40, 2, 4, true, true);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = fused(p, Simd.ENABLED);
            Parallel.setThreads(3);
            assertSameBits(one, fused(p, Simd.ENABLED), "3 threads");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void whatAnotherShapesForwardKeptIsRefused() {
        Problem p = problem(3, 1, 4, 5, 8, 1, 2, true, true), q = problem(3, 1, 5, 5, 8, 1, 2, true, true);
        CrossSelectiveScan.Kept kept = CrossSelectiveScan.forward(true, q.x(), q.xProjW(), q.dtW(), q.dtBias(), q.A(), q.Ds(),
                1, 5, 5, 8, 1, 2, new float[q.L() * q.d()], true);
        var e = assertThrows(IllegalArgumentException.class, () -> CrossSelectiveScan.backward(p.x(), p.dy(), p.xProjW(), p.dtW(),
                p.dtBias(), p.A(), p.Ds(), 1, 4, 5, 8, 1, 2, kept, new float[p.L() * p.d()], null, null, null, new float[K * 8 * 2], null));
        assertTrue(e.getMessage().contains("what the forward kept does not fit"), e.getMessage());
    }
}
