package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 matrix multiply: C[M,N] (= or +=) A·B, optionally batched, on contiguous row-major arrays.
 *
 * <p>A is given as (M,K) or, with {@code transA}, as its transpose stored (K,M); B as (K,N) or, with
 * {@code transB}, stored (N,K). Linear layers are {@code transB = true}: y (M,N) = x (M,K) · Wᵀ with
 * W stored (N,K); their backward is dX = dY·W ({@code transB = false}) and dW = dYᵀ·X
 * ({@code transA = true}).
 *
 * <p><b>Order of operations (the determinism contract).</b> Every output has one float accumulator
 * that starts at +0 (or at the old C value when accumulating) and takes {@code acc = fma(a[i,k],
 * b[k,j], acc)} for k = 0, 1, ..., K−1 in ascending order. Blocking over K only stores the
 * accumulator to C and loads it back, which is exact. So the bits do not depend on the block sizes,
 * the thread count, the vector width, or on SIMD being on: {@link #gemmScalar} runs the same
 * recurrence with {@code Math.fma}.
 *
 * <p><b>Error bound</b> against the exact product (and so against {@code GemmRef} up to its float64
 * rounding): with u = 2⁻²⁴ and γ_K = K·u/(1 − K·u),
 * <pre>  |ĉ[i,j] − c[i,j]| ≤ γ_K · ( |c₀[i,j]| + Σ_k |a[i,k]|·|b[k,j]| )</pre>
 * (c₀ = 0 without accumulation): K roundings, one per fma, each relative to a partial sum bounded
 * by the right-hand sum. Subnormal underflow can add K·2⁻¹⁴⁹ more.
 *
 * <p><b>How it is fast.</b> Columns of C are cut into panels of {@link #NR} vectors
 * ({@code NRW = NR·lanes} columns). B stored (N,K) is transposed once per call into packed panels (K
 * rows of NRW floats, in a working array kept between calls); B stored (K,N) is read in place, one row
 * of NRW floats per k, and only its last, partial panel is packed. A partial panel's columns past N
 * are whatever the array held: they only reach lanes of the edge tile that are computed and dropped.
 * A is never packed: each A element is broadcast straight
 * from its row (or column). The micro-kernel keeps an 8×NR tile of C accumulators (4×NR below
 * 16 lanes, where there are only 16 vector registers) in registers over a block of {@link #KC} k
 * steps, while the B block (KC × NRW) stays in cache. Work is split into fixed tasks of up to
 * {@link #MC} rows by a fixed group of panels, sized from the problem alone. Single-core speed on
 * AVX-512 is about that of OpenBLAS sgemm (85–110 GFLOP/s on the CIPA shapes).
 */
public final class Gemm {
    private Gemm() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /**
     * 8-row micro-tiles need 24 accumulators + 3 B vectors + 1 broadcast: 28 vector registers, which
     * AVX-512 machines (16 float lanes) have; narrower machines get 4-row tiles (16 registers).
     */
    static final boolean WIDE = L >= 16;
    /** Vectors of columns in the micro-tile (and in one packed B panel). */
    static final int NR = 3;
    /** Columns of one packed B panel. */
    static final int NRW = NR * L;
    /** k steps per block: one B panel block (KC × NRW floats) stays in L1 or L2. */
    static final int KC = 256;
    /** Rows per parallel task. */
    static final int MC = 128;
    /** At most this many floats of packed B are held at once (16 MiB). */
    static final long PACK_CAP = 1L << 22;
    /** Aim for at least this many tasks before splitting the columns among tasks. */
    static final int MIN_TASKS = 16;

    /** C (M,N) = A·B (or += with {@code accumulate}); A is (M,K) or stored (K,M) when transA; B is (K,N) or stored (N,K) when transB. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        gemmBatched(1, transA, transB, m, n, k, a, aOff, 0, b, bOff, 0, c, cOff, 0, accumulate);
    }

    /**
     * For each t in [0, batch): C_t = A_t·B_t (or +=), where A_t starts at {@code aOff + t·aStride},
     * B_t at {@code bOff + t·bStride}, C_t at {@code cOff + t·cStride}. A stride of 0 shares one A or
     * B among all items; C items must not overlap ({@code cStride ≥ M·N} when batch > 1).
     */
    public static void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                                   float[] c, int cOff, int cStride, boolean accumulate) {
        check(batch, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride);
        if (Simd.ENABLED) vectorGemm(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
        else gemmScalar(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
    }

    /** y (M,N) = x (M,K) · Wᵀ with W stored (N,K): the Linear forward without bias. */
    public static void linear(float[] x, float[] w, float[] y, int m, int k, int n) {
        gemm(false, true, m, n, k, x, 0, w, 0, y, 0, false);
    }

    /** dx (M,K) = dy (M,N) · W with W stored (N,K): the Linear input gradient. */
    public static void linearBackwardInput(float[] dy, float[] w, float[] dx, int m, int k, int n, boolean accumulate) {
        gemm(false, false, m, k, n, dy, 0, w, 0, dx, 0, accumulate);
    }

    /** dW (N,K) = dyᵀ · x with dy (M,N), x (M,K): the Linear weight gradient. */
    public static void linearBackwardWeight(float[] dy, float[] x, float[] dw, int m, int k, int n, boolean accumulate) {
        gemm(true, false, n, k, m, dy, 0, x, 0, dw, 0, accumulate);
    }

    // ---------------------------------------------------------------- argument checks

    private static void check(int batch, int m, int n, int k, float[] a, int aOff, int aStride,
                              float[] b, int bOff, int bStride, float[] c, int cOff, int cStride) {
        String dims = "batch=" + batch + " M=" + m + " N=" + n + " K=" + k;
        if (batch < 1 || m < 1 || n < 1 || k < 1) throw new IllegalArgumentException("Gemm: dimensions must be positive: " + dims);
        if (aOff < 0 || bOff < 0 || cOff < 0 || aStride < 0 || bStride < 0 || cStride < 0)
            throw new IllegalArgumentException("Gemm: negative offset or stride: aOff=" + aOff + " aStride=" + aStride
                    + " bOff=" + bOff + " bStride=" + bStride + " cOff=" + cOff + " cStride=" + cStride + " " + dims);
        if (batch > 1 && cStride < (long) m * n)
            throw new IllegalArgumentException("Gemm: C items overlap: cStride=" + cStride + " < M·N=" + (long) m * n + " " + dims);
        need("A", a, aOff, aStride, (long) m * k, batch, dims);
        need("B", b, bOff, bStride, (long) k * n, batch, dims);
        need("C", c, cOff, cStride, (long) m * n, batch, dims);
    }

    private static void need(String name, float[] x, int off, int stride, long size, int batch, String dims) {
        long end = off + (long) (batch - 1) * stride + size;
        if (x == null || end > x.length)
            throw new IllegalArgumentException("Gemm: " + name + " too short: needs " + end + " floats, has "
                    + (x == null ? "null" : x.length) + " (" + dims + ")");
    }

    // ---------------------------------------------------------------- scalar path

    /** The scalar path: the same fma recurrence per output, k ascending. No argument checks. */
    static void gemmScalar(int batch, boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                           float[] c, int cOff, int cStride, boolean accumulate) {
        int ars = transA ? 1 : k, aks = transA ? m : 1;   // A[i,kk] = a[base + i·ars + kk·aks]
        int bks = transB ? 1 : n, bjs = transB ? k : 1;   // B[kk,j] = b[base + kk·bks + j·bjs]
        int rowsPerTask = MC;
        int mChunks = Parallel.chunkCount(m, rowsPerTask);
        Parallel.forTasks(batch * mChunks, task -> {
            int t = task / mChunks, i0 = (task % mChunks) * rowsPerTask, i1 = Math.min(m, i0 + rowsPerTask);
            int ab = aOff + t * aStride, bb = bOff + t * bStride, cb = cOff + t * cStride;
            for (int i = i0; i < i1; i++) {
                int crow = cb + i * n;
                if (!accumulate) java.util.Arrays.fill(c, crow, crow + n, 0f);
                for (int kk = 0; kk < k; kk++) {
                    float aik = a[ab + i * ars + kk * aks];
                    int brow = bb + kk * bks;
                    for (int j = 0; j < n; j++) c[crow + j] = Math.fma(aik, b[brow + j * bjs], c[crow + j]);
                }
            }
        });
    }

    // ---------------------------------------------------------------- vector path

    private static void vectorGemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                                   float[] c, int cOff, int cStride, boolean accumulate) {
        if (n == 1 && TileTranspose.AVAILABLE) {                 // one output column: rows in lanes instead
            SingleColumnGemm.multiply(batch, transA, m, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
            return;
        }
        int panels = (n + NRW - 1) / NRW;
        // B stored (K,N) is read in place, one row of NRW floats per k; only a last, partial panel is
        // packed. B stored (N,K) is packed whole, as panels of K rows of NRW floats.
        int firstPacked = transB ? 0 : n / NRW;
        int packedPanels = panels - firstPacked;
        long packedWidth = (long) packedPanels * NRW;
        // Outer k range held packed at once: all of K unless one B would exceed the cap.
        int kOuter = packedPanels == 0 ? k : (int) Math.min(k, Math.max(KC, PACK_CAP / packedWidth / KC * KC));
        // Batch items whose B are packed together (B shared by all items when bStride == 0).
        int group = bStride == 0 || packedPanels == 0 ? batch
                : (int) Math.max(1, Math.min(batch, PACK_CAP / (packedWidth * kOuter)));
        int packedItems = bStride == 0 ? 1 : group;
        // (from Scratch: packPanel writes every element the kernels keep; a partial panel's padding columns
        // only reach the lanes that tile() computes past n and drops)
        int packedSize = (int) (packedItems * packedWidth * kOuter);
        String packKey = "gemm packed B " + packedSize;
        float[] packed = Scratch.takeAny(packKey, packedSize);
        int mChunks = (m + MC - 1) / MC;
        for (int t0 = 0; t0 < batch; t0 += group) {
            int items = Math.min(group, batch - t0);
            int bItems = bStride == 0 ? 1 : items;
            int nChunks = Math.min(panels, Math.max(1, (MIN_TASKS + items * mChunks - 1) / (items * mChunks)));
            int panelsPerTask = (panels + nChunks - 1) / nChunks;
            int tasksN = (panels + panelsPerTask - 1) / panelsPerTask;
            for (int k0 = 0; k0 < k; k0 += kOuter) {
                int kLen = Math.min(kOuter, k - k0), kFirst = k0, first = t0;
                Parallel.forTasks(bItems * packedPanels, task -> {
                    int item = task / packedPanels, q = task % packedPanels;
                    packPanel(b, bOff + (first + item) * bStride, transB, n, k, kFirst, kLen, firstPacked + q,
                              packed, (int) ((item * (long) packedPanels + q) * kLen * NRW));
                });
                boolean load = accumulate || k0 > 0;
                Parallel.forTasks(items * mChunks * tasksN, task -> {
                    int item = task / (mChunks * tasksN), rest = task % (mChunks * tasksN);
                    int i0 = (rest / tasksN) * MC, p0 = (rest % tasksN) * panelsPerTask;
                    int t = first + item, bItem = bStride == 0 ? 0 : item;
                    tile(transA, m, n, k, a, aOff + t * aStride, b, bOff + t * bStride, c, cOff + t * cStride,
                         packed, (int) ((long) bItem * packedPanels * kLen * NRW), firstPacked, kFirst, kLen,
                         i0, Math.min(m, i0 + MC), p0, Math.min(panels, p0 + panelsPerTask), load);
                });
            }
        }
        Scratch.give(packKey, packed);
    }

    /** Packs columns [p·NRW, p·NRW+NRW) of B rows [k0, k0+kLen) as kLen rows of NRW floats (columns past n left as they are). */
    private static void packPanel(float[] b, int bBase, boolean transB, int n, int k, int k0, int kLen, int p,
                                  float[] dst, int dOff) {
        int j0 = p * NRW, width = Math.min(NRW, n - j0);
        if (!transB) {
            for (int kk = 0; kk < kLen; kk++) System.arraycopy(b, bBase + (k0 + kk) * n + j0, dst, dOff + kk * NRW, width);
        } else {
            for (int j = 0; j < width; j++) {
                int src = bBase + (j0 + j) * k + k0;
                for (int kk = 0; kk < kLen; kk++) dst[dOff + kk * NRW + j] = b[src + kk];
            }
        }
    }

    /**
     * C rows [i0,i1) × panels [p0,p1) (+)= A rows · B over k in [k0, k0+kLen). Panels from
     * firstPacked on come from {@code packed} (kLen rows of NRW floats each); earlier ones are read
     * in place from B stored (K,N).
     */
    private static void tile(boolean transA, int m, int n, int k, float[] a, int aBase, float[] b, int bBase,
                             float[] c, int cBase, float[] packed, int packedBase, int firstPacked, int k0, int kLen,
                             int i0, int i1, int p0, int p1, boolean load) {
        int ars = transA ? 1 : k, aks = transA ? m : 1;   // A[i,kk] = a[aBase + i·ars + kk·aks]
        float[] edge = null;
        for (int kb = 0; kb < kLen; kb += KC) {
            int kc = Math.min(KC, kLen - kb);
            boolean ld = load || kb > 0;
            int pa = aBase + i0 * ars + (k0 + kb) * aks;
            for (int p = p0; p < p1; p++) {
                int j0 = p * NRW, width = Math.min(NRW, n - j0);
                boolean inPlace = p < firstPacked;
                float[] bp = inPlace ? b : packed;
                int pb = inPlace ? bBase + (k0 + kb) * n + j0 : packedBase + ((p - firstPacked) * kLen + kb) * NRW;
                int ldb = inPlace ? n : NRW;
                if (width == NRW) {
                    rows(a, pa, ars, aks, kc, bp, pb, ldb, c, cBase + i0 * n + j0, n, i1 - i0, ld);
                    continue;
                }
                // Last, partial panel: tiles as wide as the vectors it needs, on a copy of the valid
                // columns; the lanes past them (from B's unwritten packed columns) are dropped.
                if (edge == null) edge = new float[8 * NRW];
                int vectors = (width + L - 1) / L;
                for (int i = i0; i < i1; i += 8) {
                    int count = Math.min(8, i1 - i);
                    for (int r = 0; r < count; r++) {
                        if (ld) System.arraycopy(c, cBase + (i + r) * n + j0, edge, r * NRW, width);
                    }
                    if (vectors == NR) rows(a, pa + (i - i0) * ars, ars, aks, kc, bp, pb, ldb, edge, 0, NRW, count, ld);
                    else narrowRows(vectors, a, pa + (i - i0) * ars, ars, aks, kc, bp, pb, ldb, edge, NRW, count, ld);
                    for (int r = 0; r < count; r++) System.arraycopy(edge, r * NRW, c, cBase + (i + r) * n + j0, width);
                }
            }
        }
    }

    /** {@code count} rows of one panel, in 8-, 4- and 1-row micro-tiles; c rows start at pc, ldc apart. */
    private static void rows(float[] a, int pa, int ars, int aks, int kc, float[] bp, int pb, int ldb,
                             float[] c, int pc, int ldc, int count, boolean load) {
        int r = 0;
        if (WIDE) {
            for (; r + 8 <= count; r += 8) micro8(a, pa + r * ars, ars, aks, kc, bp, pb, ldb, c, pc + r * ldc, ldc, load);
        }
        for (; r + 4 <= count; r += 4) micro4(a, pa + r * ars, ars, aks, kc, bp, pb, ldb, c, pc + r * ldc, ldc, load);
        for (; r < count; r++) micro1(a, pa + r * ars, aks, kc, bp, pb, ldb, c, pc + r * ldc, load);
    }

    /** {@link #rows} for a panel of 1 or 2 vectors (a narrow last panel), c rows from 0, ldc apart. */
    private static void narrowRows(int vectors, float[] a, int pa, int ars, int aks, int kc, float[] bp, int pb, int ldb,
                                   float[] c, int ldc, int count, boolean load) {
        int r = 0;
        for (; r + 8 <= count; r += 8) {
            if (vectors == 1) micro8x1(a, pa + r * ars, ars, aks, kc, bp, pb, ldb, c, r * ldc, ldc, load);
            else micro8x2(a, pa + r * ars, ars, aks, kc, bp, pb, ldb, c, r * ldc, ldc, load);
        }
        for (; r < count; r++) {
            if (vectors == 1) micro1x1(a, pa + r * ars, aks, kc, bp, pb, ldb, c, r * ldc, load);
            else micro1x2(a, pa + r * ars, aks, kc, bp, pb, ldb, c, r * ldc, load);
        }
    }

    // Micro-tiles: c[r, 0..NRW) (+)= Σ_kk a[pa + r·ars + kk·aks] · bp[pb + kk·ldb, +NRW), kk ascending,
    // one fma per step into each accumulator (the ×1 and ×2 ones: the first L or 2L columns).

    private static void micro8(float[] a, int pa, int ars, int aks, int kc, float[] bp, int pb, int ldb,
                               float[] c, int pc, int ldc, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32,
                    c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        int q1 = pc + ldc, q2 = q1 + ldc, q3 = q2 + ldc, q4 = q3 + ldc, q5 = q4 + ldc, q6 = q5 + ldc, q7 = q6 + ldc;
        if (load) {
            c00 = ld(c, pc); c01 = ld(c, pc + L); c02 = ld(c, pc + 2 * L);
            c10 = ld(c, q1); c11 = ld(c, q1 + L); c12 = ld(c, q1 + 2 * L);
            c20 = ld(c, q2); c21 = ld(c, q2 + L); c22 = ld(c, q2 + 2 * L);
            c30 = ld(c, q3); c31 = ld(c, q3 + L); c32 = ld(c, q3 + 2 * L);
            c40 = ld(c, q4); c41 = ld(c, q4 + L); c42 = ld(c, q4 + 2 * L);
            c50 = ld(c, q5); c51 = ld(c, q5 + L); c52 = ld(c, q5 + 2 * L);
            c60 = ld(c, q6); c61 = ld(c, q6 + L); c62 = ld(c, q6 + 2 * L);
            c70 = ld(c, q7); c71 = ld(c, q7 + L); c72 = ld(c, q7 + 2 * L);
        } else {
            FloatVector z = FloatVector.zero(F);
            c00 = z; c01 = z; c02 = z; c10 = z; c11 = z; c12 = z; c20 = z; c21 = z; c22 = z; c30 = z; c31 = z; c32 = z;
            c40 = z; c41 = z; c42 = z; c50 = z; c51 = z; c52 = z; c60 = z; c61 = z; c62 = z; c70 = z; c71 = z; c72 = z;
        }
        int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars, r6 = 6 * ars, r7 = 7 * ars;
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) {
            FloatVector b0 = ld(bp, pb), b1 = ld(bp, pb + L), b2 = ld(bp, pb + 2 * L);
            FloatVector x = FloatVector.broadcast(F, a[pa]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(F, a[pa + r1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(F, a[pa + r2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(F, a[pa + r3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(F, a[pa + r4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(F, a[pa + r5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(F, a[pa + r6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(F, a[pa + r7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
        }
        c00.intoArray(c, pc); c01.intoArray(c, pc + L); c02.intoArray(c, pc + 2 * L);
        c10.intoArray(c, q1); c11.intoArray(c, q1 + L); c12.intoArray(c, q1 + 2 * L);
        c20.intoArray(c, q2); c21.intoArray(c, q2 + L); c22.intoArray(c, q2 + 2 * L);
        c30.intoArray(c, q3); c31.intoArray(c, q3 + L); c32.intoArray(c, q3 + 2 * L);
        c40.intoArray(c, q4); c41.intoArray(c, q4 + L); c42.intoArray(c, q4 + 2 * L);
        c50.intoArray(c, q5); c51.intoArray(c, q5 + L); c52.intoArray(c, q5 + 2 * L);
        c60.intoArray(c, q6); c61.intoArray(c, q6 + L); c62.intoArray(c, q6 + 2 * L);
        c70.intoArray(c, q7); c71.intoArray(c, q7 + L); c72.intoArray(c, q7 + 2 * L);
    }

    private static void micro4(float[] a, int pa, int ars, int aks, int kc, float[] bp, int pb, int ldb,
                               float[] c, int pc, int ldc, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        int q1 = pc + ldc, q2 = q1 + ldc, q3 = q2 + ldc;
        if (load) {
            c00 = ld(c, pc); c01 = ld(c, pc + L); c02 = ld(c, pc + 2 * L);
            c10 = ld(c, q1); c11 = ld(c, q1 + L); c12 = ld(c, q1 + 2 * L);
            c20 = ld(c, q2); c21 = ld(c, q2 + L); c22 = ld(c, q2 + 2 * L);
            c30 = ld(c, q3); c31 = ld(c, q3 + L); c32 = ld(c, q3 + 2 * L);
        } else {
            FloatVector z = FloatVector.zero(F);
            c00 = z; c01 = z; c02 = z; c10 = z; c11 = z; c12 = z; c20 = z; c21 = z; c22 = z; c30 = z; c31 = z; c32 = z;
        }
        int r1 = ars, r2 = 2 * ars, r3 = 3 * ars;
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) {
            FloatVector b0 = ld(bp, pb), b1 = ld(bp, pb + L), b2 = ld(bp, pb + 2 * L);
            FloatVector x = FloatVector.broadcast(F, a[pa]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(F, a[pa + r1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(F, a[pa + r2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(F, a[pa + r3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
        }
        c00.intoArray(c, pc); c01.intoArray(c, pc + L); c02.intoArray(c, pc + 2 * L);
        c10.intoArray(c, q1); c11.intoArray(c, q1 + L); c12.intoArray(c, q1 + 2 * L);
        c20.intoArray(c, q2); c21.intoArray(c, q2 + L); c22.intoArray(c, q2 + 2 * L);
        c30.intoArray(c, q3); c31.intoArray(c, q3 + L); c32.intoArray(c, q3 + 2 * L);
    }

    private static void micro1(float[] a, int pa, int aks, int kc, float[] bp, int pb, int ldb, float[] c, int pc, boolean load) {
        FloatVector c0, c1, c2;
        if (load) {
            c0 = ld(c, pc); c1 = ld(c, pc + L); c2 = ld(c, pc + 2 * L);
        } else {
            c0 = FloatVector.zero(F); c1 = c0; c2 = c0;
        }
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) {
            FloatVector x = FloatVector.broadcast(F, a[pa]);
            c0 = x.fma(ld(bp, pb), c0); c1 = x.fma(ld(bp, pb + L), c1); c2 = x.fma(ld(bp, pb + 2 * L), c2);
        }
        c0.intoArray(c, pc); c1.intoArray(c, pc + L); c2.intoArray(c, pc + 2 * L);
    }

    private static void micro8x2(float[] a, int pa, int ars, int aks, int kc, float[] bp, int pb, int ldb,
                                 float[] c, int pc, int ldc, boolean load) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        int q1 = pc + ldc, q2 = q1 + ldc, q3 = q2 + ldc, q4 = q3 + ldc, q5 = q4 + ldc, q6 = q5 + ldc, q7 = q6 + ldc;
        if (load) {
            c00 = ld(c, pc); c01 = ld(c, pc + L); c10 = ld(c, q1); c11 = ld(c, q1 + L);
            c20 = ld(c, q2); c21 = ld(c, q2 + L); c30 = ld(c, q3); c31 = ld(c, q3 + L);
            c40 = ld(c, q4); c41 = ld(c, q4 + L); c50 = ld(c, q5); c51 = ld(c, q5 + L);
            c60 = ld(c, q6); c61 = ld(c, q6 + L); c70 = ld(c, q7); c71 = ld(c, q7 + L);
        } else {
            FloatVector z = FloatVector.zero(F);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z;
            c40 = z; c41 = z; c50 = z; c51 = z; c60 = z; c61 = z; c70 = z; c71 = z;
        }
        int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars, r6 = 6 * ars, r7 = 7 * ars;
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) {
            FloatVector b0 = ld(bp, pb), b1 = ld(bp, pb + L);
            FloatVector x = FloatVector.broadcast(F, a[pa]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[pa + r1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[pa + r2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[pa + r3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[pa + r4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[pa + r5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(F, a[pa + r6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, a[pa + r7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, pc); c01.intoArray(c, pc + L); c10.intoArray(c, q1); c11.intoArray(c, q1 + L);
        c20.intoArray(c, q2); c21.intoArray(c, q2 + L); c30.intoArray(c, q3); c31.intoArray(c, q3 + L);
        c40.intoArray(c, q4); c41.intoArray(c, q4 + L); c50.intoArray(c, q5); c51.intoArray(c, q5 + L);
        c60.intoArray(c, q6); c61.intoArray(c, q6 + L); c70.intoArray(c, q7); c71.intoArray(c, q7 + L);
    }

    private static void micro8x1(float[] a, int pa, int ars, int aks, int kc, float[] bp, int pb, int ldb,
                                 float[] c, int pc, int ldc, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        int q1 = pc + ldc, q2 = q1 + ldc, q3 = q2 + ldc, q4 = q3 + ldc, q5 = q4 + ldc, q6 = q5 + ldc, q7 = q6 + ldc;
        if (load) {
            c0 = ld(c, pc); c1 = ld(c, q1); c2 = ld(c, q2); c3 = ld(c, q3);
            c4 = ld(c, q4); c5 = ld(c, q5); c6 = ld(c, q6); c7 = ld(c, q7);
        } else {
            FloatVector z = FloatVector.zero(F);
            c0 = z; c1 = z; c2 = z; c3 = z; c4 = z; c5 = z; c6 = z; c7 = z;
        }
        int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars, r6 = 6 * ars, r7 = 7 * ars;
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) {
            FloatVector b0 = ld(bp, pb);
            c0 = FloatVector.broadcast(F, a[pa]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[pa + r1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[pa + r2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[pa + r3]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, a[pa + r4]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, a[pa + r5]).fma(b0, c5);
            c6 = FloatVector.broadcast(F, a[pa + r6]).fma(b0, c6);
            c7 = FloatVector.broadcast(F, a[pa + r7]).fma(b0, c7);
        }
        c0.intoArray(c, pc); c1.intoArray(c, q1); c2.intoArray(c, q2); c3.intoArray(c, q3);
        c4.intoArray(c, q4); c5.intoArray(c, q5); c6.intoArray(c, q6); c7.intoArray(c, q7);
    }

    private static void micro1x2(float[] a, int pa, int aks, int kc, float[] bp, int pb, int ldb, float[] c, int pc, boolean load) {
        FloatVector c0 = load ? ld(c, pc) : FloatVector.zero(F), c1 = load ? ld(c, pc + L) : FloatVector.zero(F);
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) {
            FloatVector x = FloatVector.broadcast(F, a[pa]);
            c0 = x.fma(ld(bp, pb), c0); c1 = x.fma(ld(bp, pb + L), c1);
        }
        c0.intoArray(c, pc); c1.intoArray(c, pc + L);
    }

    private static void micro1x1(float[] a, int pa, int aks, int kc, float[] bp, int pb, int ldb, float[] c, int pc, boolean load) {
        FloatVector c0 = load ? ld(c, pc) : FloatVector.zero(F);
        for (int kk = 0; kk < kc; kk++, pa += aks, pb += ldb) c0 = FloatVector.broadcast(F, a[pa]).fma(ld(bp, pb), c0);
        c0.intoArray(c, pc);
    }

    private static FloatVector ld(float[] x, int i) {
        return FloatVector.fromArray(F, x, i);
    }
}
