package jcipa.tensor.kernels;

import java.util.Arrays;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;

/**
 * Float32 bilinear resampling of contiguous NCHW planes exactly as PyTorch's CPU
 * {@code F.interpolate(x, size=(ho,wo) | scale_factor=(sh,sw), mode="bilinear", align_corners=False)}
 * (recompute_scale_factor None/False), with its gradient.
 *
 * <p>Per axis (in → out), all in float32 as PyTorch does for float tensors:
 * <pre>
 *   scale = in / out                       (size given)
 *         = (float) (1 / scale_factor)     (scale factor given; out = ⌊in·scale_factor⌋ in double)
 *   if out == in:  i0 = i1 = o, λ0 = 1, λ1 = 0
 *   else:          src = max(0, fma(scale, o + 0.5, −0.5)),  i0 = min(⌊src⌋, in−1),
 *                  i1 = i0 + (i0 &lt; in−1 ? 1 : 0),  λ1 = clamp(src − i0, 0, 1),  λ0 = 1 − λ1
 * </pre>
 * and with (λ, i) for rows and (μ, j) for columns:
 * <pre>
 *   ho + wo &gt; 128:  t0 = fma(x[i0,j0], μ0, x[i0,j1]·μ1),  t1 = fma(x[i1,j0], μ0, x[i1,j1]·μ1),
 *                   y = fma(t0, λ0, t1·λ1)
 *   ho + wo ≤ 128:  w_ab = λa·μb;  for channels c &lt; C − C mod 16:
 *                     y = fma(x00, w00, fma(x01, w01, fma(x11, w11, x10·w10)))
 *                   for the last C mod 16 channels:
 *                     y = fma(x11, w11, fma(x10, w10, fma(x00, w00, x01·w01)))
 *   backward:       for each plane, outputs in row-major order, corners 00, 01, 10, 11:
 *                     dx[corner] = fma(λa·μb, dy, dx[corner])
 * </pre>
 * These are PyTorch 2.x's generic NCHW kernel, its channels-last kernel (which it also takes for
 * NCHW inputs when ho + wo ≤ 128; 16 = float lanes of its AVX-512 build, 8 on AVX2-only CPUs) and
 * its NCHW backward, as compiled for AVX2/AVX-512 (which contracts a·b + c into fma). The bits were
 * checked against PyTorch 2.11 (AVX2 and AVX-512 capability); they differ from PyTorch built without
 * FMA (ATEN_CPU_CAPABILITY=default), from PyTorch's single-thread C == 3 special case (channels-last
 * formula for large outputs), and for AVX2-only CPUs in channels c with C − C mod 16 ≤ c &lt; C − C mod 8.
 *
 * <p>Bound vs the float64 reference (which computes the same equations in double): the index
 * arithmetic moves src by at most 2u·(in + 1) per axis and the interpolant is continuous, so
 * |y − ref| ≤ u·(4·(h + w) + 16)·max|x|; for the gradient,
 * |dx − ref| ≤ u·(4·(h + w) + 16 + m)·Σ|dy| over the outputs whose 2×2 cell touches the element or
 * its neighbours, m being their count.
 */
public final class Bilinear {
    private Bilinear() {}

    /** Output sizes with ho + wo up to this take PyTorch's channels-last formula. */
    static final int SMALL_OUTPUT = 128;
    /** Float lanes of PyTorch's vectorised channels-last kernel (AVX-512 build). */
    static final int TORCH_FLOAT_LANES = 16;

    /** ⌊in·scale⌋ as PyTorch computes it (in double), the output size for a scale factor. */
    public static int scaledSize(int in, double scale) {
        double out = (double) in * scale;
        if (!(scale > 0) || !(out >= 1) || out > Integer.MAX_VALUE)
            throw new IllegalArgumentException("Bilinear: scale factor " + scale + " gives no output size from " + in);
        return (int) out;
    }

    // ---------------------------------------------------------------- entry points

    /** y (n,c,ho,wo) = interpolate(x (n,c,h,w), size=(ho,wo)). */
    public static void forward(float[] x, int n, int c, int h, int w, float[] y, int ho, int wo) {
        check("Bilinear.forward", n, c, h, w, ho, wo, x, y, "x", "y");
        forward(Simd.ENABLED, x, n, c, h, w, y, axis(h, ho, (float) h / (float) ho), axis(w, wo, (float) w / (float) wo));
    }

    /** y (n,c,⌊h·sh⌋,⌊w·sw⌋) = interpolate(x (n,c,h,w), scale_factor=(sh,sw)). */
    public static void forwardScaled(float[] x, int n, int c, int h, int w, double sh, double sw, float[] y) {
        int ho = scaledSize(h, sh), wo = scaledSize(w, sw);
        check("Bilinear.forwardScaled", n, c, h, w, ho, wo, x, y, "x", "y");
        forward(Simd.ENABLED, x, n, c, h, w, y, axis(h, ho, (float) (1.0 / sh)), axis(w, wo, (float) (1.0 / sw)));
    }

    /** dx (n,c,h,w) = ∂L/∂x of {@link #forward} given dy (n,c,ho,wo); dx is overwritten. */
    public static void backward(float[] dy, int n, int c, int h, int w, int ho, int wo, float[] dx) {
        check("Bilinear.backward", n, c, h, w, ho, wo, dx, dy, "dx", "dy");
        backward(dy, n, c, h, w, dx, axis(h, ho, (float) h / (float) ho), axis(w, wo, (float) w / (float) wo));
    }

    /** dx (n,c,h,w) = ∂L/∂x of {@link #forwardScaled} given dy (n,c,⌊h·sh⌋,⌊w·sw⌋); dx is overwritten. */
    public static void backwardScaled(float[] dy, int n, int c, int h, int w, double sh, double sw, float[] dx) {
        int ho = scaledSize(h, sh), wo = scaledSize(w, sw);
        check("Bilinear.backwardScaled", n, c, h, w, ho, wo, dx, dy, "dx", "dy");
        backward(dy, n, c, h, w, dx, axis(h, ho, (float) (1.0 / sh)), axis(w, wo, (float) (1.0 / sw)));
    }

    /**
     * Inference on channels-last maps: y (n,ho,wo,c) = interpolate of x (n,h,w,c) to (ho, wo), or by the
     * scale factors (sh, sw) when {@code scaled}; the same bits as {@link #forward} / {@link #forwardScaled}
     * on the NCHW layout (each output runs the same formula, chosen by output size and channel as there),
     * vectorised across channels.
     */
    public static void forwardChannelsLast(float[] x, int n, int h, int w, int c, float[] y, int ho, int wo) {
        check("Bilinear.forwardChannelsLast", n, c, h, w, ho, wo, x, y, "x", "y");
        forwardChannelsLast(Simd.ENABLED, x, n, c, y, axis(h, ho, (float) h / (float) ho), axis(w, wo, (float) w / (float) wo));
    }

    /** {@link #forwardChannelsLast} by scale factors: output (n, ⌊h·sh⌋, ⌊w·sw⌋, c). */
    public static void forwardScaledChannelsLast(float[] x, int n, int h, int w, int c, double sh, double sw, float[] y) {
        int ho = scaledSize(h, sh), wo = scaledSize(w, sw);
        check("Bilinear.forwardScaledChannelsLast", n, c, h, w, ho, wo, x, y, "x", "y");
        forwardChannelsLast(Simd.ENABLED, x, n, c, y, axis(h, ho, (float) (1.0 / sh)), axis(w, wo, (float) (1.0 / sw)));
    }

    static void forwardChannelsLast(boolean vector, float[] x, int n, int c, float[] y, Axis rows, Axis cols) {
        int h = rows.in(), w = cols.in(), ho = rows.out(), wo = cols.out();
        boolean small = ho + wo <= SMALL_OUTPUT;
        int vectorChannels = c - c % TORCH_FLOAT_LANES, lanes = vector ? Simd.F.length() : Integer.MAX_VALUE;
        Parallel.forTasks(n * ho, task -> {
            int img = task / ho, oy = task % ho;
            int r0 = (img * h + rows.i0()[oy]) * w, r1 = (img * h + rows.i1()[oy]) * w;
            float l0 = rows.l0()[oy], l1 = rows.l1()[oy];
            for (int ox = 0; ox < wo; ox++) {
                int p00 = (r0 + cols.i0()[ox]) * c, p01 = (r0 + cols.i1()[ox]) * c;
                int p10 = (r1 + cols.i0()[ox]) * c, p11 = (r1 + cols.i1()[ox]) * c, out = ((img * ho + oy) * wo + ox) * c;
                float m0 = cols.l0()[ox], m1 = cols.l1()[ox];
                int ch = lanes <= c ? (small ? vectorChannels : c) / lanes * lanes : 0;
                if (ch > 0) {
                    if (small) fourWeightsPixel(x, p00, p01, p10, p11, l0 * m0, l0 * m1, l1 * m0, l1 * m1, y, out, ch);
                    else separablePixel(x, p00, p01, p10, p11, m0, m1, l0, l1, y, out, ch);
                }
                for (; ch < c; ch++) {
                    float x00 = x[p00 + ch], x01 = x[p01 + ch], x10 = x[p10 + ch], x11 = x[p11 + ch];
                    if (!small) {
                        float t0 = Math.fma(x00, m0, x01 * m1), t1 = Math.fma(x10, m0, x11 * m1);
                        y[out + ch] = Math.fma(t0, l0, t1 * l1);
                    } else {
                        float w00 = l0 * m0, w01 = l0 * m1, w10 = l1 * m0, w11 = l1 * m1;
                        y[out + ch] = ch < vectorChannels
                                ? Math.fma(x00, w00, Math.fma(x01, w01, Math.fma(x11, w11, x10 * w10)))
                                : Math.fma(x11, w11, Math.fma(x10, w10, Math.fma(x00, w00, x01 * w01)));
                    }
                }
            }
        });
    }

    /** Channels [0, count) of one output pixel, the generic kernel's formula: fma(t0, λ0, t1·λ1), t = fma(x_·0, μ0, x_·1·μ1). */
    private static void separablePixel(float[] x, int p00, int p01, int p10, int p11, float m0, float m1, float l0, float l1,
                                       float[] y, int out, int count) {
        FloatVector vm0 = FloatVector.broadcast(Simd.F, m0), vl0 = FloatVector.broadcast(Simd.F, l0);
        for (int ch = 0; ch < count; ch += Simd.F.length()) {
            FloatVector t0 = FloatVector.fromArray(Simd.F, x, p00 + ch).fma(vm0, FloatVector.fromArray(Simd.F, x, p01 + ch).mul(m1));
            FloatVector t1 = FloatVector.fromArray(Simd.F, x, p10 + ch).fma(vm0, FloatVector.fromArray(Simd.F, x, p11 + ch).mul(m1));
            t0.fma(vl0, t1.mul(l1)).intoArray(y, out + ch);
        }
    }

    /** Channels [0, count) (all below C − C mod 16) of one output pixel, the channels-last kernel's vector formula. */
    private static void fourWeightsPixel(float[] x, int p00, int p01, int p10, int p11, float w00, float w01, float w10, float w11,
                                         float[] y, int out, int count) {
        FloatVector v00 = FloatVector.broadcast(Simd.F, w00), v01 = FloatVector.broadcast(Simd.F, w01);
        FloatVector v11 = FloatVector.broadcast(Simd.F, w11);
        for (int ch = 0; ch < count; ch += Simd.F.length()) {
            FloatVector x00 = FloatVector.fromArray(Simd.F, x, p00 + ch), x01 = FloatVector.fromArray(Simd.F, x, p01 + ch);
            FloatVector x10 = FloatVector.fromArray(Simd.F, x, p10 + ch), x11 = FloatVector.fromArray(Simd.F, x, p11 + ch);
            x00.fma(v00, x01.fma(v01, x11.fma(v11, x10.mul(w10)))).intoArray(y, out + ch);
        }
    }

    // ---------------------------------------------------------------- axes

    /** Source indices and weights of one axis. */
    record Axis(int in, int out, int[] i0, int[] i1, float[] l0, float[] l1) {}

    static Axis axis(int in, int out, float scale) {
        int[] i0 = new int[out], i1 = new int[out];
        float[] l0 = new float[out], l1 = new float[out];
        for (int o = 0; o < out; o++) {
            if (in == out) { i0[o] = o; i1[o] = o; l0[o] = 1f; l1[o] = 0f; continue; }
            float src = Math.max(0f, Math.fma(scale, (float) o + 0.5f, -0.5f));
            int lo = Math.min((int) Math.floor(src), in - 1);
            float lambda = Math.min(Math.max(src - (float) lo, 0f), 1f);
            i0[o] = lo; i1[o] = lo + (lo < in - 1 ? 1 : 0); l1[o] = lambda; l0[o] = 1f - lambda;
        }
        return new Axis(in, out, i0, i1, l0, l1);
    }

    // ---------------------------------------------------------------- forward

    static void forward(boolean vector, float[] x, int n, int c, int h, int w, float[] y, Axis rows, Axis cols) {
        int ho = rows.out(), wo = cols.out();
        boolean small = ho + wo <= SMALL_OUTPUT;
        int vectorChannels = c - c % TORCH_FLOAT_LANES;
        Parallel.forTasks(n * c, plane -> {
            int in = plane * h * w, out = plane * ho * wo;
            if (small) fourWeights(x, in, w, y, out, rows, cols, plane % c < vectorChannels);
            else separable(vector, x, in, w, y, out, rows, cols);
        });
    }

    /** The generic kernel: interpolate the needed input rows along w, then blend two of them per output row. */
    private static void separable(boolean vector, float[] x, int in, int w, float[] y, int out, Axis rows, Axis cols) {
        int h = rows.in(), ho = rows.out(), wo = cols.out();
        float[] t = new float[h * wo];
        boolean[] done = new boolean[h];
        for (int oy = 0; oy < ho; oy++) {
            int r0 = rows.i0()[oy], r1 = rows.i1()[oy];
            if (!done[r0]) { done[r0] = true; blendRow(x, in + r0 * w, cols, t, r0 * wo); }
            if (!done[r1]) { done[r1] = true; blendRow(x, in + r1 * w, cols, t, r1 * wo); }
            mixRows(vector, t, r0 * wo, r1 * wo, rows.l0()[oy], rows.l1()[oy], y, out + oy * wo, wo);
        }
    }

    /** t[ox] = fma(row[j0], μ0, row[j1]·μ1). */
    private static void blendRow(float[] x, int row, Axis cols, float[] t, int at) {
        int[] j0 = cols.i0(), j1 = cols.i1();
        float[] m0 = cols.l0(), m1 = cols.l1();
        for (int ox = 0; ox < cols.out(); ox++) t[at + ox] = Math.fma(x[row + j0[ox]], m0[ox], x[row + j1[ox]] * m1[ox]);
    }

    /** y[ox] = fma(t0[ox], λ0, t1[ox]·λ1), vectorised across ox. */
    static void mixRows(boolean vector, float[] t, int a, int b, float l0, float l1, float[] y, int at, int len) {
        int i = 0;
        if (vector) {
            FloatVector v0 = FloatVector.broadcast(Simd.F, l0), v1 = FloatVector.broadcast(Simd.F, l1);
            for (int end = Simd.F.loopBound(len); i < end; i += Simd.F.length()) {
                FloatVector t0 = FloatVector.fromArray(Simd.F, t, a + i), t1 = FloatVector.fromArray(Simd.F, t, b + i);
                t0.fma(v0, t1.mul(v1)).intoArray(y, at + i);
            }
        }
        for (; i < len; i++) y[at + i] = Math.fma(t[a + i], l0, t[b + i] * l1);
    }

    /** PyTorch's channels-last kernel: four corner weights λa·μb per output pixel. */
    private static void fourWeights(float[] x, int in, int w, float[] y, int out, Axis rows, Axis cols, boolean vectorLane) {
        int wo = cols.out();
        for (int oy = 0; oy < rows.out(); oy++) {
            int r0 = in + rows.i0()[oy] * w, r1 = in + rows.i1()[oy] * w;
            float l0 = rows.l0()[oy], l1 = rows.l1()[oy];
            for (int ox = 0; ox < wo; ox++) {
                int j0 = cols.i0()[ox], j1 = cols.i1()[ox];
                float m0 = cols.l0()[ox], m1 = cols.l1()[ox];
                float w00 = l0 * m0, w01 = l0 * m1, w10 = l1 * m0, w11 = l1 * m1;
                float x00 = x[r0 + j0], x01 = x[r0 + j1], x10 = x[r1 + j0], x11 = x[r1 + j1];
                y[out + oy * wo + ox] = vectorLane
                        ? Math.fma(x00, w00, Math.fma(x01, w01, Math.fma(x11, w11, x10 * w10)))
                        : Math.fma(x11, w11, Math.fma(x10, w10, Math.fma(x00, w00, x01 * w01)));
            }
        }
    }

    // ---------------------------------------------------------------- backward

    static void backward(float[] dy, int n, int c, int h, int w, float[] dx, Axis rows, Axis cols) {
        int ho = rows.out(), wo = cols.out();
        Parallel.forTasks(n * c, plane -> {
            int in = plane * h * w, out = plane * ho * wo;
            Arrays.fill(dx, in, in + h * w, 0f);
            for (int oy = 0; oy < ho; oy++) {
                int r0 = in + rows.i0()[oy] * w, r1 = in + rows.i1()[oy] * w;
                float l0 = rows.l0()[oy], l1 = rows.l1()[oy];
                for (int ox = 0; ox < wo; ox++) {
                    int j0 = cols.i0()[ox], j1 = cols.i1()[ox];
                    float m0 = cols.l0()[ox], m1 = cols.l1()[ox], g = dy[out + oy * wo + ox];
                    dx[r0 + j0] = Math.fma(l0 * m0, g, dx[r0 + j0]);
                    dx[r0 + j1] = Math.fma(l0 * m1, g, dx[r0 + j1]);
                    dx[r1 + j0] = Math.fma(l1 * m0, g, dx[r1 + j0]);
                    dx[r1 + j1] = Math.fma(l1 * m1, g, dx[r1 + j1]);
                }
            }
        });
    }

    private static void check(String kernel, int n, int c, int h, int w, int ho, int wo, float[] input, float[] output, String inName, String outName) {
        String dims = " for input (" + n + "," + c + "," + h + "," + w + ") and output size (" + ho + "," + wo + ")";
        if (n < 1 || c < 1 || h < 1 || w < 1 || ho < 1 || wo < 1)
            throw new IllegalArgumentException(kernel + ": non-positive size" + dims);
        if ((long) n * c * Math.max((long) h * w, (long) ho * wo) > Integer.MAX_VALUE)
            throw new IllegalArgumentException(kernel + ": too large" + dims);
        if (input == null || input.length != n * c * h * w)
            throw new IllegalArgumentException(kernel + ": " + inName + " has " + (input == null ? "no array" : input.length + " elements")
                    + ", expected " + n * c * h * w + dims);
        if (output == null || output.length != n * c * ho * wo)
            throw new IllegalArgumentException(kernel + ": " + outName + " has " + (output == null ? "no array" : output.length + " elements")
                    + ", expected " + n * c * ho * wo + dims);
    }
}
