package jcipa.tensor.ref;

/**
 * Float64 reference of {@code Gemm}: C[M,N] (= or +=) A·B, optionally batched, row-major.
 *
 * <p>A is (M,K), or stored (K,M) when {@code transA}; B is (K,N), or stored (N,K) when
 * {@code transB}. Item t of a batch uses A at {@code aOff + t·aStride}, B at {@code bOff + t·bStride}
 * and C at {@code cOff + t·cStride}.
 */
public final class GemmRef {
    private GemmRef() {}

    /** C = A·B (or C += A·B). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, boolean accumulate) {
        gemmBatched(1, transA, transB, m, n, k, a, aOff, 0, b, bOff, 0, c, cOff, 0, accumulate);
    }

    /** C_t = A_t·B_t (or +=) for each batch item t. */
    public static void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                                   double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                                   double[] c, int cOff, int cStride, boolean accumulate) {
        check(batch, m, n, k, a.length, aOff, aStride, b.length, bOff, bStride, c.length, cOff, cStride);
        for (int t = 0; t < batch; t++) {
            int ab = aOff + t * aStride, bb = bOff + t * bStride, cb = cOff + t * cStride;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = accumulate ? c[cb + i * n + j] : 0.0;
                    for (int kk = 0; kk < k; kk++) {
                        double aik = transA ? a[ab + kk * m + i] : a[ab + i * k + kk];
                        double bkj = transB ? b[bb + j * k + kk] : b[bb + kk * n + j];
                        sum += aik * bkj;
                    }
                    c[cb + i * n + j] = sum;
                }
            }
        }
    }

    /** y (M,N) = x (M,K) · Wᵀ, W stored (N,K). */
    public static void linear(double[] x, double[] w, double[] y, int m, int k, int n) {
        gemm(false, true, m, n, k, x, 0, w, 0, y, 0, false);
    }

    /** dx (M,K) = dy (M,N) · W. */
    public static void linearBackwardInput(double[] dy, double[] w, double[] dx, int m, int k, int n, boolean accumulate) {
        gemm(false, false, m, k, n, dy, 0, w, 0, dx, 0, accumulate);
    }

    /** dW (N,K) = dyᵀ · x. */
    public static void linearBackwardWeight(double[] dy, double[] x, double[] dw, int m, int k, int n, boolean accumulate) {
        gemm(true, false, n, k, m, dy, 0, x, 0, dw, 0, accumulate);
    }

    private static void check(int batch, int m, int n, int k, int aLen, int aOff, int aStride,
                              int bLen, int bOff, int bStride, int cLen, int cOff, int cStride) {
        String dims = "batch=" + batch + " M=" + m + " N=" + n + " K=" + k;
        if (batch < 1 || m < 1 || n < 1 || k < 1) throw new IllegalArgumentException("GemmRef: dimensions must be positive: " + dims);
        if (aOff < 0 || bOff < 0 || cOff < 0 || aStride < 0 || bStride < 0 || cStride < 0)
            throw new IllegalArgumentException("GemmRef: negative offset or stride (" + dims + ")");
        if (batch > 1 && cStride < (long) m * n)
            throw new IllegalArgumentException("GemmRef: C items overlap: cStride=" + cStride + " (" + dims + ")");
        if (aOff + (long) (batch - 1) * aStride + (long) m * k > aLen) throw new IllegalArgumentException("GemmRef: A too short, length " + aLen + " (" + dims + ")");
        if (bOff + (long) (batch - 1) * bStride + (long) k * n > bLen) throw new IllegalArgumentException("GemmRef: B too short, length " + bLen + " (" + dims + ")");
        if (cOff + (long) (batch - 1) * cStride + (long) m * n > cLen) throw new IllegalArgumentException("GemmRef: C too short, length " + cLen + " (" + dims + ")");
    }
}
