package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C (M × 1) (+)= A·B for a product with one output column, vectorised across rows: a vector holds W rows' chains, and
 * each W×W tile of A is brought into that layout by a register transpose ({@link TileTranspose}). The decoder's last
 * 1×1 convolution is such a product (96 → 1 at every pixel: 262 144 × 96 · 96 × 1 at 512×512); {@link Gemm}'s tiles
 * would hold 8 rows × one vector of B's columns there, one lane of it used. Each output is Gemm's chain, acc = +0
 * (or C) then acc = fma(A[i, k], B[k], acc) for k ascending, so the bits are those of every other path; the rows past
 * the last whole vector take the same chain in scalar.
 */
final class SingleColumnGemm {
    private SingleColumnGemm() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int W = TileTranspose.W;
    /** Rows per parallel task (a fixed cut: the bits do not depend on it, nor on the thread count). */
    static final int ROWS_PER_TASK = 1024;

    /** Gemm's batched product for N = 1 (B's layout, (K, 1) or (1, K), is the same then). Only when {@link TileTranspose#AVAILABLE}. */
    static void multiply(int batch, boolean transA, int m, int k, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                         float[] c, int cOff, int cStride, boolean accumulate) {
        int chunks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        Parallel.forTasks(batch * chunks, task -> {
            int t = task / chunks, i0 = task % chunks * ROWS_PER_TASK, i1 = Math.min(m, i0 + ROWS_PER_TASK);
            rows(transA, m, k, a, aOff + t * aStride, b, bOff + t * bStride, c, cOff + t * cStride, i0, i1, accumulate);
        });
    }

    /** Rows [i0, i1) of one item: A[i, kk] at a[ab + i·k + kk], or a[ab + kk·m + i] when transA; B[kk] at b[bb + kk]. */
    private static void rows(boolean transA, int m, int k, float[] a, int ab, float[] b, int bb, float[] c, int cb,
                             int i0, int i1, boolean accumulate) {
        float[] tile = new float[W * W];                    // tile[q·W + r] = A[i + r, kk + q]
        int i = i0;
        for (; i + W <= i1; i += W) {
            FloatVector acc = accumulate ? FloatVector.fromArray(F, c, cb + i) : FloatVector.zero(F);
            int kk = 0;
            if (transA) {
                for (; kk < k; kk++) acc = FloatVector.fromArray(F, a, ab + kk * m + i).fma(FloatVector.broadcast(F, b[bb + kk]), acc);
            } else {
                for (; kk + W <= k; kk += W) {
                    TileTranspose.transpose(a, ab + i * k + kk, k, tile, 0, W);
                    for (int q = 0; q < W; q++)
                        acc = FloatVector.fromArray(F, tile, q * W).fma(FloatVector.broadcast(F, b[bb + kk + q]), acc);
                }
                for (; kk < k; kk++) {
                    for (int r = 0; r < W; r++) tile[r] = a[ab + (i + r) * k + kk];
                    acc = FloatVector.fromArray(F, tile, 0).fma(FloatVector.broadcast(F, b[bb + kk]), acc);
                }
            }
            acc.intoArray(c, cb + i);
        }
        for (; i < i1; i++) {
            float acc = accumulate ? c[cb + i] : 0f;
            for (int kk = 0; kk < k; kk++) acc = Math.fma(transA ? a[ab + kk * m + i] : a[ab + i * k + kk], b[bb + kk], acc);
            c[cb + i] = acc;
        }
    }
}
