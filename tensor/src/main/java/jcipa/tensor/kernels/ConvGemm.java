package jcipa.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled matrix product behind the convolution kernels (single-threaded; callers split
 * the work).
 *
 * <pre>
 *   C(i,j) = [C(i,j) +] Σ_{t=0}^{depth−1} A(i,t)·B(t,j)          i < m, j < n
 *   A(i,t) = a[aOff + i·aRowStride + t·aColStride]   (any strides: W, Wᵀ or dY as stored)
 *   B(t,j) = b[bOff + t·bRowStride + j]               (rows contiguous in j)
 *   C(i,j) = c[cOff + i·cRowStride + j]
 * </pre>
 *
 * Every C(i,j) is computed by the same sequence of IEEE operations whichever loop or lane computes
 * it: acc = 0; acc = fma(A(i,t), B(t,j), acc) for t = 0, 1, ..., depth−1; then C = acc, or with
 * {@code accumulate} C = C + acc. The vector path spreads j across lanes (4 rows × 2 vectors per
 * tile), so the bits do not depend on the vector width, and {@link #multiplyScalar} gives the same
 * bits. Error: |C − exact| ≤ depth·u·Σ_t |A(i,t)·B(t,j)| to first order (u = 2⁻²⁴), plus u·|C| when
 * accumulating.
 */
final class ConvGemm {
    private ConvGemm() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** The product on the vector path when {@code vector}, else on the scalar path (same bits). */
    static void multiply(boolean vector, int m, int n, int depth,
                         float[] a, int aOff, int aRowStride, int aColStride,
                         float[] b, int bOff, int bRowStride,
                         float[] c, int cOff, int cRowStride, boolean accumulate) {
        if (!vector) {
            multiplyScalar(m, n, depth, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, accumulate, 0);
            return;
        }
        int nTwo = n - n % (2 * L);
        int nOne = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j < nTwo; j += 2 * L) tile4x2(i, j, depth, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, accumulate);
            for (; j < nOne; j += L) tile4x1(i, j, depth, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, accumulate);
        }
        for (; i < m; i++) {
            for (int j = 0; j < nOne; j += L) tile1x1(i, j, depth, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, accumulate);
        }
        // Columns past the last full vector, all rows: the scalar recurrence.
        if (nOne < n) {
            for (int r = 0; r < m; r++)
                scalarRow(r, nOne, n, depth, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, accumulate);
        }
    }

    /** The scalar twin: the same recurrence per output, columns from {@code jFrom}. */
    static void multiplyScalar(int m, int n, int depth,
                               float[] a, int aOff, int aRowStride, int aColStride,
                               float[] b, int bOff, int bRowStride,
                               float[] c, int cOff, int cRowStride, boolean accumulate, int jFrom) {
        for (int r = 0; r < m; r++)
            scalarRow(r, jFrom, n, depth, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, c, cOff, cRowStride, accumulate);
    }

    private static void scalarRow(int i, int jFrom, int jTo, int depth,
                                  float[] a, int aOff, int aRowStride, int aColStride,
                                  float[] b, int bOff, int bRowStride,
                                  float[] c, int cOff, int cRowStride, boolean accumulate) {
        int ai = aOff + i * aRowStride;
        int ci = cOff + i * cRowStride;
        for (int j = jFrom; j < jTo; j++) {
            float acc = 0f;
            for (int t = 0, at = ai, bt = bOff + j; t < depth; t++, at += aColStride, bt += bRowStride)
                acc = Math.fma(a[at], b[bt], acc);
            c[ci + j] = accumulate ? c[ci + j] + acc : acc;
        }
    }

    private static void tile4x2(int i, int j, int depth,
                                float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                                float[] c, int cOff, int cRs, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a0 = aOff + i * aRs, a1 = a0 + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
        int bt = bOff + j;
        for (int t = 0; t < depth; t++, bt += bRs, a0 += aCs, a1 += aCs, a2 += aCs, a3 += aCs) {
            FloatVector b0 = FloatVector.fromArray(F, b, bt);
            FloatVector b1 = FloatVector.fromArray(F, b, bt + L);
            FloatVector w0 = FloatVector.broadcast(F, a[a0]);
            c00 = w0.fma(b0, c00); c01 = w0.fma(b1, c01);
            FloatVector w1 = FloatVector.broadcast(F, a[a1]);
            c10 = w1.fma(b0, c10); c11 = w1.fma(b1, c11);
            FloatVector w2 = FloatVector.broadcast(F, a[a2]);
            c20 = w2.fma(b0, c20); c21 = w2.fma(b1, c21);
            FloatVector w3 = FloatVector.broadcast(F, a[a3]);
            c30 = w3.fma(b0, c30); c31 = w3.fma(b1, c31);
        }
        int r0 = cOff + i * cRs + j;
        store(c00, c, r0, accumulate); store(c01, c, r0 + L, accumulate); r0 += cRs;
        store(c10, c, r0, accumulate); store(c11, c, r0 + L, accumulate); r0 += cRs;
        store(c20, c, r0, accumulate); store(c21, c, r0 + L, accumulate); r0 += cRs;
        store(c30, c, r0, accumulate); store(c31, c, r0 + L, accumulate);
    }

    private static void tile4x1(int i, int j, int depth,
                                float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                                float[] c, int cOff, int cRs, boolean accumulate) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        int a0 = aOff + i * aRs, a1 = a0 + aRs, a2 = a1 + aRs, a3 = a2 + aRs;
        int bt = bOff + j;
        for (int t = 0; t < depth; t++, bt += bRs, a0 += aCs, a1 += aCs, a2 += aCs, a3 += aCs) {
            FloatVector b0 = FloatVector.fromArray(F, b, bt);
            c0 = FloatVector.broadcast(F, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[a1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[a2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[a3]).fma(b0, c3);
        }
        int r0 = cOff + i * cRs + j;
        store(c0, c, r0, accumulate); r0 += cRs;
        store(c1, c, r0, accumulate); r0 += cRs;
        store(c2, c, r0, accumulate); r0 += cRs;
        store(c3, c, r0, accumulate);
    }

    private static void tile1x1(int i, int j, int depth,
                                float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                                float[] c, int cOff, int cRs, boolean accumulate) {
        FloatVector c0 = FloatVector.zero(F);
        int a0 = aOff + i * aRs;
        int bt = bOff + j;
        for (int t = 0; t < depth; t++, bt += bRs, a0 += aCs)
            c0 = FloatVector.broadcast(F, a[a0]).fma(FloatVector.fromArray(F, b, bt), c0);
        store(c0, c, cOff + i * cRs + j, accumulate);
    }

    private static void store(FloatVector acc, float[] c, int at, boolean accumulate) {
        (accumulate ? FloatVector.fromArray(F, c, at).add(acc) : acc).intoArray(c, at);
    }
}
