package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 BatchNorm2d on NCHW, as PyTorch defines it. Per channel c, over its m = N·H·W values:
 * <ul>
 * <li>train: μ = mean(x), σ² = mean((x − μ)²) (biased, for normalising), r = 1/sqrt(σ² + eps),
 *     y = (x − μ)·r·w + b; the running statistics become running = (1 − momentum)·running +
 *     momentum·stat, with the unbiased variance σ²·m/(m − 1) for running_var;</li>
 * <li>eval: the same normalisation with the running statistics.</li>
 * </ul>
 * Weight w and bias b (C) are optional (absent w is 1, absent b is 0). {@code hw} is H·W.
 *
 * <p><b>Order of operations.</b> Each (n, c) plane of H·W values is summed by the {@link Reduce}
 * contiguous scheme; a channel's plane sums are then added in n order (so planes can be summed in
 * parallel without changing bits). Two passes, as PyTorch: μ = fl(Σx/m), then
 * σ² = fl(Σ(x − μ)²/m). r, the running statistics and the unbiased variance are computed in double
 * from those float sums and rounded once. Element-wise: x̂ = (x − μ)·r, y = fma(x̂, w, b). The
 * backward uses Σdy and Σdy·(x − μ) per channel by the same scheme: db = Σdy, dw = r·Σdy·(x − μ),
 * dx = (dy − mean(dy) − x̂·mean(dy·x̂))·(w·r) with the sum term applied as one fma; eval mode gives
 * dx = dy·(w·r).
 *
 * <p><b>Error bounds</b> (first order in u = 2⁻²⁴). Let S = ⌈min(hw, 4096)/16⌉ + 4 + ⌈hw/4096⌉ + N,
 * E = (S + 9)·u, r, x̂ exact, κ = r·mean|x| of the channel, g = dy·w, G1 = mean|g|,
 * G2 = mean|g·x̂|. Train mode:
 * <pre>
 *   |ŷ − y|   ≤ (E + u)·(|x̂| + κ)·|w| + u·|b|
 *   |d̂x − dx| ≤ 5·E·r·( |g| + G1 + (|x̂| + κ)·(G2 + κ·G1) )
 *   |d̂w − dw| ≤ E·Σ|dy|·(|x̂| + κ),    |d̂b − db| ≤ γ_S·Σ|dy|
 *   |μ̂ − μ| ≤ (S + 1)·u·mean|x|,      running stats: momentum times the error of the statistic, plus u
 * </pre>
 * Eval mode (x̂ from the running statistics): |ŷ − y| ≤ 4u·|x̂|·|w| + u·|b|, |d̂x − dx| ≤ 3u·|dx|,
 * |d̂w − dw| ≤ γ_{S+3}·Σ|dy·x̂|, |d̂b − db| ≤ γ_S·Σ|dy|.
 */
public final class BatchNorm {
    private BatchNorm() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Rough elements per parallel task. */
    static final int TASK_WORK = 1 << 15;

    /**
     * Train-mode forward. x, y: (n, c, hw); weight, bias: (c) or null; mean, rstd: (c) outputs (the
     * batch μ and r, for the backward) or null; runningMean, runningVar: (c), updated in place, or
     * null to skip the update.
     */
    public static void forwardTrain(float[] x, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                                    float[] runningMean, float[] runningVar, int n, int c, int hw, float eps, float momentum) {
        check("forwardTrain", x, y, n, c, hw);
        checkChannels("forwardTrain", c, n, hw, weight, bias, mean, rstd, runningMean, runningVar);
        if (!(eps >= 0)) throw new IllegalArgumentException("BatchNorm.forwardTrain: eps must be >= 0, got " + eps);
        if ((long) n * hw < 2)
            throw new IllegalArgumentException("BatchNorm.forwardTrain: needs more than 1 value per channel, got n=" + n + " hw=" + hw);
        forwardTrain(x, weight, bias, y, mean, rstd, runningMean, runningVar, n, c, hw, eps, momentum, Simd.ENABLED);
    }

    static void forwardTrain(float[] x, float[] weight, float[] bias, float[] y, float[] mean, float[] rstd,
                             float[] runningMean, float[] runningVar, int n, int c, int hw, float eps, float momentum, boolean vector) {
        double count = (double) n * hw;
        float[] mu = channelSums(planeSums(x, null, null, n, c, hw, vector), n, c);
        for (int ch = 0; ch < c; ch++) mu[ch] = (float) (mu[ch] / count);
        float[] sq = channelSums(planeSums(x, mu, null, n, c, hw, vector), n, c);
        float[] r = new float[c];
        for (int ch = 0; ch < c; ch++) {
            float var = (float) (sq[ch] / count);
            r[ch] = (float) (1.0 / Math.sqrt((double) var + eps));
            if (mean != null) mean[ch] = mu[ch];
            if (rstd != null) rstd[ch] = r[ch];
            if (runningMean != null) runningMean[ch] = (float) ((1.0 - momentum) * runningMean[ch] + (double) momentum * mu[ch]);
            if (runningVar != null) runningVar[ch] = (float) ((1.0 - momentum) * runningVar[ch] + momentum * (sq[ch] / (count - 1)));
        }
        normalize(x, mu, r, weight, bias, y, n, c, hw, vector);
    }

    /** Eval-mode forward: y = (x − runningMean)·r·w + b with r = 1/sqrt(runningVar + eps). */
    public static void forwardEval(float[] x, float[] weight, float[] bias, float[] runningMean, float[] runningVar, float[] y,
                                   int n, int c, int hw, float eps) {
        check("forwardEval", x, y, n, c, hw);
        checkChannels("forwardEval", c, n, hw, weight, bias, runningMean, runningVar);
        if (runningMean == null || runningVar == null) throw new IllegalArgumentException("BatchNorm.forwardEval: running statistics are required");
        if (!(eps >= 0)) throw new IllegalArgumentException("BatchNorm.forwardEval: eps must be >= 0, got " + eps);
        forwardEval(x, weight, bias, runningMean, runningVar, y, n, c, hw, eps, Simd.ENABLED);
    }

    static void forwardEval(float[] x, float[] weight, float[] bias, float[] runningMean, float[] runningVar, float[] y,
                            int n, int c, int hw, float eps, boolean vector) {
        normalize(x, runningMean, evalRstd(runningVar, eps), weight, bias, y, n, c, hw, vector);
    }

    /**
     * Train-mode backward (gradients through the batch statistics). mean, rstd: the forward's (c).
     * Writes dx (n, c, hw), dWeight, dBias (c); each may be null. Outputs are overwritten.
     */
    public static void backwardTrain(float[] x, float[] weight, float[] mean, float[] rstd, float[] dy,
                                     float[] dx, float[] dWeight, float[] dBias, int n, int c, int hw) {
        check("backwardTrain", x, dy, n, c, hw);
        checkChannels("backwardTrain", c, n, hw, weight, mean, rstd, dWeight, dBias);
        if (mean == null || rstd == null) throw new IllegalArgumentException("BatchNorm.backwardTrain: mean and rstd are required");
        if (dx != null && dx.length != x.length) check("backwardTrain", x, dx, n, c, hw);
        backwardTrain(x, weight, mean, rstd, dy, dx, dWeight, dBias, n, c, hw, Simd.ENABLED);
    }

    static void backwardTrain(float[] x, float[] weight, float[] mean, float[] rstd, float[] dy,
                              float[] dx, float[] dWeight, float[] dBias, int n, int c, int hw, boolean vector) {
        double count = (double) n * hw;
        float[] sumDy = channelSums(planeSums(dy, null, null, n, c, hw, vector), n, c);
        float[] sumDyDev = channelSums(planeSums(x, mean, dy, n, c, hw, vector), n, c);
        float[] meanDy = new float[c], meanDyXhat = new float[c], scale = new float[c];
        for (int ch = 0; ch < c; ch++) {
            float dw = rstd[ch] * sumDyDev[ch];
            if (dWeight != null) dWeight[ch] = dw;
            if (dBias != null) dBias[ch] = sumDy[ch];
            meanDy[ch] = (float) (sumDy[ch] / count);
            meanDyXhat[ch] = (float) (dw / count);
            scale[ch] = weight == null ? rstd[ch] : weight[ch] * rstd[ch];
        }
        if (dx == null) return;
        forPlanes(n, c, hw, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int ch = p % c, o = p * hw;
                inputGradientPlane(x, dy, o, mean[ch], rstd[ch], meanDy[ch], meanDyXhat[ch], scale[ch], dx, hw, vector);
            }
        });
    }

    /** Eval-mode backward (running statistics are constants): dx = dy·(w·r), dw = Σ dy·x̂, db = Σ dy. */
    public static void backwardEval(float[] x, float[] weight, float[] runningMean, float[] runningVar, float eps, float[] dy,
                                    float[] dx, float[] dWeight, float[] dBias, int n, int c, int hw) {
        check("backwardEval", x, dy, n, c, hw);
        checkChannels("backwardEval", c, n, hw, weight, runningMean, runningVar, dWeight, dBias);
        if (runningMean == null || runningVar == null) throw new IllegalArgumentException("BatchNorm.backwardEval: running statistics are required");
        if (!(eps >= 0)) throw new IllegalArgumentException("BatchNorm.backwardEval: eps must be >= 0, got " + eps);
        if (dx != null && dx.length != x.length) check("backwardEval", x, dx, n, c, hw);
        backwardEval(x, weight, runningMean, runningVar, eps, dy, dx, dWeight, dBias, n, c, hw, Simd.ENABLED);
    }

    static void backwardEval(float[] x, float[] weight, float[] runningMean, float[] runningVar, float eps, float[] dy,
                             float[] dx, float[] dWeight, float[] dBias, int n, int c, int hw, boolean vector) {
        float[] r = evalRstd(runningVar, eps);
        if (dBias != null) System.arraycopy(channelSums(planeSums(dy, null, null, n, c, hw, vector), n, c), 0, dBias, 0, c);
        if (dWeight != null) {
            float[] s = channelSums(planeSums(x, runningMean, dy, n, c, hw, vector), n, c);
            for (int ch = 0; ch < c; ch++) dWeight[ch] = r[ch] * s[ch];
        }
        if (dx == null) return;
        float[] scale = new float[c];
        for (int ch = 0; ch < c; ch++) scale[ch] = weight == null ? r[ch] : weight[ch] * r[ch];
        forPlanes(n, c, hw, (p0, p1) -> {
            for (int p = p0; p < p1; p++) scalePlane(dy, p * hw, scale[p % c], dx, hw, vector);
        });
    }

    // ---------------------------------------------------------------- pieces

    private static float[] evalRstd(float[] runningVar, float eps) {
        float[] r = new float[runningVar.length];
        for (int ch = 0; ch < r.length; ch++) r[ch] = (float) (1.0 / Math.sqrt((double) runningVar[ch] + eps));
        return r;
    }

    /** Runs body over chunks of the n·c planes, each chunk about TASK_WORK elements. */
    private static void forPlanes(int n, int c, int hw, Parallel.RangeBody body) {
        Parallel.forChunks(n * c, Math.max(1, TASK_WORK / hw), body);
    }

    /**
     * One sum per (n, c) plane, in parallel: Σx (center and y null), Σ(x − μ_c)² (y null) or
     * Σ(x − μ_c)·y.
     */
    private static float[] planeSums(float[] x, float[] center, float[] y, int n, int c, int hw, boolean vector) {
        float[] s = new float[n * c];
        forPlanes(n, c, hw, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int o = p * hw;
                s[p] = center == null ? Reduce.sum(x, o, hw, vector)
                        : y == null ? Reduce.sumSquaredDeviations(x, o, hw, center[p % c], vector)
                        : Reduce.dotDeviations(x, o, center[p % c], y, o, hw, vector);
            }
        });
        return s;
    }

    /** Per channel, the plane sums added in n order (starting at +0). */
    private static float[] channelSums(float[] planes, int n, int c) {
        float[] s = new float[c];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) s[ch] += planes[i * c + ch];
        }
        return s;
    }

    /** y = fma((x − μ_c)·r_c, w_c, b_c) on every plane (absent parts left out). */
    private static void normalize(float[] x, float[] mu, float[] r, float[] w, float[] b, float[] y, int n, int c, int hw, boolean vector) {
        forPlanes(n, c, hw, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int ch = p % c;
                normalizePlane(x, p * hw, mu[ch], r[ch], w == null ? Float.NaN : w[ch], w != null, b == null ? 0f : b[ch], b != null, y, hw, vector);
            }
        });
    }

    private static void normalizePlane(float[] x, int o, float mu, float r, float w, boolean hasW, float b, boolean hasB,
                                       float[] y, int hw, boolean vector) {
        int j = 0;
        if (vector && Simd.ENABLED) {
            FloatVector muv = FloatVector.broadcast(F, mu), rv = FloatVector.broadcast(F, r);
            FloatVector wv = FloatVector.broadcast(F, w), bv = FloatVector.broadcast(F, b);
            int bound = Simd.loopBound(hw);
            if (hasW && hasB) {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).fma(wv, bv).intoArray(y, o + j);
            } else if (hasW) {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).mul(wv).intoArray(y, o + j);
            } else if (hasB) {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).add(bv).intoArray(y, o + j);
            } else {
                for (; j < bound; j += L) FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv).intoArray(y, o + j);
            }
        }
        for (; j < hw; j++) {
            float xh = (x[o + j] - mu) * r;
            y[o + j] = hasW && hasB ? Math.fma(xh, w, b) : hasW ? xh * w : hasB ? xh + b : xh;
        }
    }

    /** dx = fma(x̂, −mean(dy·x̂), dy − mean(dy))·scale over one plane. */
    private static void inputGradientPlane(float[] x, float[] dy, int o, float mu, float r, float meanDy, float meanDyXhat,
                                           float scale, float[] dx, int hw, boolean vector) {
        float neg = -meanDyXhat;
        int j = 0;
        if (vector && Simd.ENABLED) {
            FloatVector muv = FloatVector.broadcast(F, mu), rv = FloatVector.broadcast(F, r);
            FloatVector mv = FloatVector.broadcast(F, meanDy), nv = FloatVector.broadcast(F, neg), sv = FloatVector.broadcast(F, scale);
            for (int bound = Simd.loopBound(hw); j < bound; j += L) {
                FloatVector xh = FloatVector.fromArray(F, x, o + j).sub(muv).mul(rv);
                xh.fma(nv, FloatVector.fromArray(F, dy, o + j).sub(mv)).mul(sv).intoArray(dx, o + j);
            }
        }
        for (; j < hw; j++) {
            float xh = (x[o + j] - mu) * r;
            dx[o + j] = Math.fma(xh, neg, dy[o + j] - meanDy) * scale;
        }
    }

    /** dx = dy·scale over one plane. */
    private static void scalePlane(float[] dy, int o, float scale, float[] dx, int hw, boolean vector) {
        int j = 0;
        if (vector && Simd.ENABLED) {
            FloatVector sv = FloatVector.broadcast(F, scale);
            for (int bound = Simd.loopBound(hw); j < bound; j += L) FloatVector.fromArray(F, dy, o + j).mul(sv).intoArray(dx, o + j);
        }
        for (; j < hw; j++) dx[o + j] = dy[o + j] * scale;
    }

    // ---------------------------------------------------------------- checks

    private static void check(String what, float[] x, float[] y, int n, int c, int hw) {
        String dims = "n=" + n + " c=" + c + " hw=" + hw;
        if (n < 1 || c < 1 || hw < 1) throw new IllegalArgumentException("BatchNorm." + what + ": dimensions must be positive: " + dims);
        long size = (long) n * c * hw;
        if (x == null || x.length != size || y == null || y.length != size)
            throw new IllegalArgumentException("BatchNorm." + what + ": array lengths " + (x == null ? "null" : x.length) + "/"
                    + (y == null ? "null" : y.length) + " != n·c·hw = " + size + " (" + dims + ")");
    }

    private static void checkChannels(String what, int c, int n, int hw, float[]... perChannel) {
        for (float[] a : perChannel) {
            if (a != null && a.length != c)
                throw new IllegalArgumentException("BatchNorm." + what + ": a per-channel array has length " + a.length
                        + ", expected c=" + c + " (n=" + n + " hw=" + hw + ")");
        }
    }
}
