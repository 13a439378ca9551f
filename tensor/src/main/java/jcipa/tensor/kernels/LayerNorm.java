package jcipa.tensor.kernels;

import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 LayerNorm over the last dimension of (R, C) rows, as PyTorch defines it:
 * y = (x − μ)·r·w + b with μ = mean(x), σ² = mean((x − μ)²) (biased) and r = 1/sqrt(σ² + eps).
 * Weight w and bias b (C) are optional (absent w is 1, absent b is 0). This covers every
 * "normalise the last axis" of CIPA: channels-last (…, C), rows of H·W, and regions of 16·C.
 *
 * <p><b>Order of operations.</b> Per row, μ = fl(Σx / C) and σ² = fl(Σ(x − μ)² / C) are the fixed
 * {@link Reduce} contiguous sums (two passes: mean first, then squared deviations; no one-pass
 * formula, so no cancellation), and r is computed in double from σ² and rounded once. Element-wise,
 * d = x − μ, x̂ = d·r, y = fma(x̂, w, b) (x̂·w, x̂ + b or x̂ when a part is absent), the same in the
 * vector and scalar paths. The backward sums dw, db over rows in fixed chunks of rows, whose
 * partial sums are added in chunk order. Bits do not depend on threads, vector width or SIMD.
 *
 * <p><b>Error bounds</b> (first order in u = 2⁻²⁴). Let S = ⌈min(C, 4096)/16⌉ + 4 + ⌈C/4096⌉ (the
 * {@link Reduce} chain), E = (S + 9)·u, r the exact 1/sqrt(σ² + eps), x̂ the exact normalised
 * value and κ = r·mean|x| (how badly centring cancels; about 1 for zero-mean data). Then
 * <pre>
 *   |ŷ_j − y_j|   ≤ (E + u)·(|x̂_j| + κ)·|w_j| + u·|b_j|
 *   |d̂x_j − dx_j| ≤ 5·E·r·( |g_j| + G1 + (|x̂_j| + κ)·(G2 + κ·G1) ),  g = dy·w, G1 = mean|g|, G2 = mean|g·x̂|
 *   |d̂w_j − dw_j| ≤ (E + T·u)·Σ_rows |dy|·(|x̂| + κ),   |d̂b_j − db_j| ≤ γ_T·Σ_rows |dy|
 * </pre>
 * where T = (rows per chunk) + (number of chunks), the chain of the row sums.
 */
public final class LayerNorm {
    private LayerNorm() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Rough elements per forward task. */
    static final int TASK_WORK = 1 << 14;

    /**
     * Forward. x, y: (rows, cols); weight, bias: (cols) or null; mean, rstd: (rows) outputs for the
     * backward, or null.
     */
    public static void forward(float[] x, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                               int rows, int cols, float eps) {
        check("forward", x, weight, bias, y, mean, rstd, rows, cols);
        if (!(eps >= 0)) throw new IllegalArgumentException("LayerNorm.forward: eps must be >= 0, got " + eps);
        forward(x, weight, bias, y, mean, rstd, rows, cols, eps, Simd.ENABLED);
    }

    static void forward(float[] x, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                        int rows, int cols, float eps, boolean vector) {
        forwardRows(x, weight, bias, y, mean, rstd, null, 0, 0, rows, cols, eps, vector);
    }

    /** The forward, row by row: statistics, normalisation, and the SiLU gate when {@code gate} is given. */
    private static void forwardRows(float[] x, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                                    float[] gate, int gateOff, int gateStride, int rows, int cols, float eps, boolean vector) {
        boolean fourAtOnce = vector && Simd.ENABLED && cols <= Reduce.BLOCK;
        Parallel.forChunks(rows, Math.max(1, TASK_WORK / cols), (r0, r1) -> {
            int row = r0;
            if (fourAtOnce) {
                // the statistics of four rows at once (the same sums, their add chains interleaved)
                int[] offs = new int[4];
                float[] mu = new float[4], var = new float[4];
                float[][] partials = new float[4][Reduce.LANES_FIXED];
                for (; row + 4 <= r1; row += 4) {
                    for (int k = 0; k < 4; k++) offs[k] = (row + k) * cols;
                    Reduce.fourRuns(false, x, offs, cols, null, mu, partials);
                    for (int k = 0; k < 4; k++) mu[k] = mu[k] / cols;
                    Reduce.fourRuns(true, x, offs, cols, mu, var, partials);
                    for (int k = 0; k < 4; k++) finishRow(x, row + k, mu[k], var[k] / cols, weight, bias, y, mean, rstd, gate, gateOff, gateStride, cols, eps, vector);
                }
            }
            for (; row < r1; row++) {
                int o = row * cols;
                float mu = Reduce.sum(x, o, cols, vector) / cols;
                float var = Reduce.sumSquaredDeviations(x, o, cols, mu, vector) / cols;
                finishRow(x, row, mu, var, weight, bias, y, mean, rstd, gate, gateOff, gateStride, cols, eps, vector);
            }
        });
    }

    /** One row after its statistics: r = 1/√(σ² + eps), the saved mean and rstd, the normalised (and gated) row. */
    private static void finishRow(float[] x, int row, float mu, float var, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                                  float[] gate, int gateOff, int gateStride, int cols, float eps, boolean vector) {
        int o = row * cols;
        float r = (float) (1.0 / Math.sqrt((double) var + eps));
        if (mean != null) mean[row] = mu;
        if (rstd != null) rstd[row] = r;
        normalizeRow(x, o, mu, r, weight, bias, y, cols, vector);
        if (gate != null) gateRow(y, o, gate, gateOff + row * gateStride, cols, vector);
    }

    /**
     * Inference: y = LayerNorm(x) ⊙ SiLU(gate) in one pass per row (SS2D's out_norm(y)·SiLU(z)), the same
     * bits as the LayerNorm op, the SiLU op and the product one by one. Row i of the gate starts at
     * {@code gate[gateOff + i·gateStride]}, so a channel slice of a wider map is read in place.
     */
    public static void forwardGatedSilu(float[] x, float[] weight, float[] bias, float[] gate, int gateOff, int gateStride,
                                        float[] y, int rows, int cols, float eps) {
        check("forwardGatedSilu", x, weight, bias, y, null, null, rows, cols);
        if (!(eps >= 0)) throw new IllegalArgumentException("LayerNorm.forwardGatedSilu: eps must be >= 0, got " + eps);
        if (gateOff < 0 || gateStride < cols || (rows > 0 && gateOff + (long) (rows - 1) * gateStride + cols > gate.length))
            throw new IllegalArgumentException("LayerNorm.forwardGatedSilu: gate of length " + gate.length + " does not hold " + rows
                    + " rows of " + cols + " from " + gateOff + ", " + gateStride + " apart");
        forwardRows(x, weight, bias, y, null, null, gate, gateOff, gateStride, rows, cols, eps, Simd.ENABLED);
    }

    /** y[o + j] = y[o + j]·SiLU(g[go + j]) over one row. */
    private static void gateRow(float[] y, int o, float[] g, int go, int cols, boolean vector) {
        int j = 0;
        if (vector && Simd.ENABLED) {
            for (int bound = Simd.loopBound(cols); j < bound; j += L)
                FloatVector.fromArray(F, y, o + j).mul(VMath.silu(FloatVector.fromArray(F, g, go + j))).intoArray(y, o + j);
        }
        for (; j < cols; j++) y[o + j] = y[o + j] * FMath.silu(g[go + j]);
    }

    /** y[o + j] = fma((x − μ)·r, w, b) over one row, with the absent parts left out. */
    private static void normalizeRow(float[] x, int o, float mu, float r, float[] w, float[] b, float[] y, int cols, boolean vector) {
        int j = 0;
        if (vector && Simd.ENABLED) {
            FloatVector muv = FloatVector.broadcast(F, mu), rv = FloatVector.broadcast(F, r);
            int bound = Simd.loopBound(cols);
            if (w != null && b != null) {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv)
                        .fma(FloatVector.fromArray(F, w, j), FloatVector.fromArray(F, b, j)).intoArray(y, o + j);
            } else if (w != null) {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).mul(FloatVector.fromArray(F, w, j)).intoArray(y, o + j);
            } else if (b != null) {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).add(FloatVector.fromArray(F, b, j)).intoArray(y, o + j);
            } else {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).intoArray(y, o + j);
            }
        }
        for (; j < cols; j++) {
            float xh = (x[o + j] - mu) * r;
            y[o + j] = w != null && b != null ? Math.fma(xh, w[j], b[j]) : w != null ? xh * w[j] : b != null ? xh + b[j] : xh;
        }
    }

    /**
     * Backward. From x, the weight (or null), the forward's mean and rstd (rows) and dy (rows, cols),
     * writes dx (rows, cols), dWeight and dBias (cols); each output may be null to skip it. Outputs
     * are overwritten, not accumulated.
     */
    public static void backward(float[] x, float[] weight, float[] mean, float[] rstd, float[] dy,
                                float[] dx, float[] dWeight, float[] dBias, int rows, int cols) {
        check("backward", x, weight, null, dy, mean, rstd, rows, cols);
        if (mean == null || rstd == null) throw new IllegalArgumentException("LayerNorm.backward: mean and rstd are required");
        need("backward", "dx", dx, (long) rows * cols, rows, cols);
        need("backward", "dWeight", dWeight, cols, rows, cols);
        need("backward", "dBias", dBias, cols, rows, cols);
        backward(x, weight, mean, rstd, dy, dx, dWeight, dBias, rows, cols, Simd.ENABLED);
    }

    /** Rows per chunk of the dw/db sums: about √rows, so both sum chains stay short. */
    static int rowChunk(int rows) {
        return Math.max(16, (int) Math.ceil(Math.sqrt(rows)));
    }

    static void backward(float[] x, float[] weight, float[] mean, float[] rstd, float[] dy,
                         float[] dx, float[] dWeight, float[] dBias, int rows, int cols, boolean vector) {
        int chunk = rowChunk(rows), chunks = Parallel.chunkCount(rows, chunk);
        float[] pw = dWeight == null ? null : new float[chunks * cols];
        float[] pb = dBias == null ? null : new float[chunks * cols];
        boolean fused = vector && Simd.ENABLED && dx != null && cols % Reduce.LANES_FIXED == 0 && cols <= Reduce.BLOCK;
        Parallel.forChunks(rows, chunk, (r0, r1) -> {
            int c = r0 / chunk;
            if (fused) {
                float[] partials = new float[2 * Reduce.LANES_FIXED];
                for (int row = r0; row < r1; row++)
                    rowInTwoPasses(x, weight, mean[row], rstd[row], dy, row * cols, dx, pw, pb, c * cols, cols, partials);
                return;
            }
            float[] g = weight == null ? null : new float[cols];
            for (int row = r0; row < r1; row++) {
                int o = row * cols;
                float mu = mean[row], r = rstd[row];
                if (dx != null) {
                    float[] gs = dy;
                    int go = o;
                    if (weight != null) {
                        Lanewise.mul(dy, o, weight, 0, g, 0, cols, vector);
                        gs = g;
                        go = 0;
                    }
                    float meanG = Reduce.sum(gs, go, cols, vector) / cols;
                    float meanGx = r * Reduce.dotDeviations(x, o, mu, gs, go, cols, vector) / cols;
                    inputGradientRow(x, o, mu, r, gs, go, meanG, meanGx, dx, cols, vector);
                }
                if (pw != null) Lanewise.fmaNormalized(dy, o, x, o, mu, r, pw, c * cols, cols, vector);
                if (pb != null) Lanewise.add(dy, o, pb, c * cols, cols, vector);
            }
        });
        if (dWeight != null) sumChunks(pw, chunks, cols, dWeight, vector);
        if (dBias != null) sumChunks(pb, chunks, cols, dBias, vector);
    }

    /**
     * One row of the backward on the vector path, for rows of a multiple of 16 elements up to Reduce.BLOCK (every
     * CIPA layer norm): the general row's operations in two passes over dy and x instead of six calls, with g = dy·w
     * made in registers both times. Pass 1 sums g and (x − μ)·g into Reduce's contiguous-scheme partials (element j
     * to partial j mod 16, ascending; one block, so the total is +0 plus the tree), giving mean(g) and mean(g·x̂) as
     * {@link Reduce#sum} and {@link Reduce#dotDeviations} would; pass 2 writes dx as {@link #inputGradientRow} and
     * adds dy·x̂ and dy to this chunk's dw and db partials as {@link Lanewise#fmaNormalized} and
     * {@link Lanewise#add}. Same bits; a training step's 145 layer-norm backwards took 150 ms instead of 406
     * ({@code bench train --profile}).
     */
    private static void rowInTwoPasses(float[] x, float[] weight, float mu, float r, float[] dy, int o, float[] dx,
                                       float[] pw, float[] pb, int po, int cols, float[] partials) {
        int lanes = Reduce.LANES_FIXED;
        boolean scaled = weight != null;
        FloatVector mv = FloatVector.broadcast(F, mu);
        for (int v = 0; v < lanes; v += L) {
            FloatVector sumG = FloatVector.zero(F), sumGx = FloatVector.zero(F);
            for (int j = v; j < cols; j += lanes) {
                FloatVector dyv = FloatVector.fromArray(F, dy, o + j);
                FloatVector g = scaled ? dyv.mul(FloatVector.fromArray(F, weight, j)) : dyv;
                sumG = sumG.add(g);
                sumGx = FloatVector.fromArray(F, x, o + j).sub(mv).fma(g, sumGx);
            }
            sumG.intoArray(partials, v);
            sumGx.intoArray(partials, lanes + v);
        }
        float meanG = Reduce.blockTotal(partials, 0) / cols;
        float meanGx = r * Reduce.blockTotal(partials, lanes) / cols;
        FloatVector rv = FloatVector.broadcast(F, r), mgv = FloatVector.broadcast(F, meanG), nv = FloatVector.broadcast(F, -meanGx);
        for (int j = 0; j < cols; j += L) {
            FloatVector dyv = FloatVector.fromArray(F, dy, o + j);
            FloatVector g = scaled ? dyv.mul(FloatVector.fromArray(F, weight, j)) : dyv;
            FloatVector xh = FloatVector.fromArray(F, x, o + j).sub(mv).mul(rv);
            xh.fma(nv, g.sub(mgv)).mul(rv).intoArray(dx, o + j);
            if (pw != null) dyv.fma(xh, FloatVector.fromArray(F, pw, po + j)).intoArray(pw, po + j);
            if (pb != null) FloatVector.fromArray(F, pb, po + j).add(dyv).intoArray(pb, po + j);
        }
    }

    /** dx = r·(g − mean(g) − x̂·mean(g·x̂)), as t = g − mg; t = fma(x̂, −mgx, t); dx = t·r. */
    private static void inputGradientRow(float[] x, int o, float mu, float r, float[] g, int go, float mg, float mgx,
                                         float[] dx, int cols, boolean vector) {
        float negMgx = -mgx;
        int j = 0;
        if (vector && Simd.ENABLED) {
            FloatVector muv = FloatVector.broadcast(F, mu), rv = FloatVector.broadcast(F, r);
            FloatVector mgv = FloatVector.broadcast(F, mg), nv = FloatVector.broadcast(F, negMgx);
            for (int bound = Simd.loopBound(cols); j < bound; j += L) {
                FloatVector xh = FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv);
                FloatVector t = FloatVector.fromArray(F, g, go + j).sub(mgv);
                xh.fma(nv, t).mul(rv).intoArray(dx, o + j);
            }
        }
        for (; j < cols; j++) {
            float xh = (x[o + j] - mu) * r;
            dx[o + j] = Math.fma(xh, negMgx, g[go + j] - mg) * r;
        }
    }

    /** out[j] = ((0 + p[0][j]) + p[1][j]) + ...: chunk partials added in chunk order. */
    static void sumChunks(float[] p, int chunks, int cols, float[] out, boolean vector) {
        java.util.Arrays.fill(out, 0, cols, 0f);
        for (int c = 0; c < chunks; c++) Lanewise.add(p, c * cols, out, 0, cols, vector);
    }

    // ---------------------------------------------------------------- checks

    private static void check(String what, float[] x, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                              int rows, int cols) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("LayerNorm." + what + ": dimensions must be positive: rows=" + rows + " cols=" + cols);
        long size = (long) rows * cols;
        if (x == null || x.length != size) need(what, "x", x, -1, rows, cols);
        if (y == null || y.length != size) need(what, what.equals("forward") ? "y" : "dy", y, -1, rows, cols);
        need(what, "weight", weight, cols, rows, cols);
        need(what, "bias", bias, cols, rows, cols);
        need(what, "mean", mean, rows, rows, cols);
        need(what, "rstd", rstd, rows, rows, cols);
    }

    /** A null array passes; otherwise it must have the given length (-1: it is required and wrong). */
    private static void need(String what, String name, float[] a, long length, int rows, int cols) {
        if (length >= 0 && (a == null || a.length == length)) return;
        throw new IllegalArgumentException("LayerNorm." + what + ": " + name + " has length " + (a == null ? "null" : a.length)
                + ", expected " + (length >= 0 ? length : (long) rows * cols) + " for rows=" + rows + " cols=" + cols);
    }
}
