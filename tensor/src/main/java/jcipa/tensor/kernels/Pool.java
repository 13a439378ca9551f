package jcipa.tensor.kernels;

import java.util.Arrays;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;

/**
 * Float32 pooling on contiguous NCHW arrays, PyTorch CPU semantics, with gradients. Work is split
 * by channel planes; every output has one fixed summation order.
 *
 * <ul>
 * <li>{@link #avgPool2d}: {@code F.avg_pool2d(x, (kh,kw), (sh,sw))}, padding 0, ceil_mode false:
 * y = (Σ of the window in row-major order, from 0) / (kh·kw), the same float operations as
 * PyTorch's NCHW kernel, so the bits agree with it. Backward: dx += dy / (kh·kw) over the outputs in
 * row-major order (also PyTorch's order). Bounds vs float64: forward (kh·kw + 1)·u·mean|x| over the
 * window; backward (m + 1)·u·Σ|dy|/(kh·kw) with m the number of windows covering the element.</li>
 * <li>{@link #globalAvgPool}: {@code F.adaptive_avg_pool2d(x, 1)}: y = S / (h·w) where S adds the plane
 * in 16 fixed lane partials (element i to lane i mod 16, ascending) summed pairwise. PyTorch uses its
 * own cascade sum here, so the bits may differ from it by a few ulp. Bound: (⌈hw/16⌉ + 5)·u·mean|x|.
 * Backward (as PyTorch): dx = dy / (h·w), exact up to one rounding.</li>
 * <li>{@link #globalMaxPool}: {@code F.adaptive_max_pool2d(x, 1, return_indices=True)}: the maximum
 * and its row-major index within the plane. As PyTorch's CPU kernel, an element replaces the current
 * maximum when it is greater or NaN, so ties go to the FIRST maximal element and a NaN plane reports
 * its LAST NaN. Exact. Backward: dx = 0 except dx[argmax] = dy.</li>
 * </ul>
 */
public final class Pool {
    private Pool() {}

    /** Fixed lane partials of the plane sums (a multiple of every vector width). */
    static final int LANES_FIXED = 16;

    // ---------------------------------------------------------------- avg_pool2d

    /** y (n,c,ho,wo) = avg_pool2d(x (n,c,h,w)), ho = (h − kh)/sh + 1, wo = (w − kw)/sw + 1. */
    public static void avgPool2d(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, float[] y) {
        checkWindow("Pool.avgPool2d", n, c, h, w, kh, kw, sh, sw);
        int ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        checkLength("Pool.avgPool2d", "x", x, n * c * h * w, n, c, h, w);
        checkLength("Pool.avgPool2d", "y", y, n * c * ho * wo, n, c, h, w);
        final float count = kh * kw;
        Parallel.forTasks(n * c, plane -> {
            int in = plane * h * w, out = plane * ho * wo;
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    float sum = 0f;
                    for (int ky = 0; ky < kh; ky++) {
                        int row = in + (oy * sh + ky) * w + ox * sw;
                        for (int kx = 0; kx < kw; kx++) sum += x[row + kx];
                    }
                    y[out + oy * wo + ox] = sum / count;
                }
        });
    }

    /** dx (n,c,h,w) = ∂L/∂x of {@link #avgPool2d} given dy (n,c,ho,wo); dx is overwritten. */
    public static void avgPool2dBackward(float[] dy, int n, int c, int h, int w, int kh, int kw, int sh, int sw, float[] dx) {
        checkWindow("Pool.avgPool2dBackward", n, c, h, w, kh, kw, sh, sw);
        int ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        checkLength("Pool.avgPool2dBackward", "dy", dy, n * c * ho * wo, n, c, h, w);
        checkLength("Pool.avgPool2dBackward", "dx", dx, n * c * h * w, n, c, h, w);
        final float count = kh * kw;
        Parallel.forTasks(n * c, plane -> {
            int in = plane * h * w, out = plane * ho * wo;
            Arrays.fill(dx, in, in + h * w, 0f);
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    float share = dy[out + oy * wo + ox] / count;
                    for (int ky = 0; ky < kh; ky++) {
                        int row = in + (oy * sh + ky) * w + ox * sw;
                        for (int kx = 0; kx < kw; kx++) dx[row + kx] += share;
                    }
                }
        });
    }

    // ---------------------------------------------------------------- adaptive pools to 1×1

    /** y (n,c) = mean of each plane of x (n,c,h,w). */
    public static void globalAvgPool(float[] x, int n, int c, int h, int w, float[] y) {
        globalAvgPool(Simd.ENABLED, x, n, c, h, w, y);
    }

    static void globalAvgPool(boolean vector, float[] x, int n, int c, int h, int w, float[] y) {
        checkDims("Pool.globalAvgPool", n, c, h, w);
        checkLength("Pool.globalAvgPool", "x", x, n * c * h * w, n, c, h, w);
        checkLength("Pool.globalAvgPool", "y", y, n * c, n, c, h, w);
        final int hw = h * w;
        Parallel.forTasks(n * c, plane -> {
            float[] lanes = new float[LANES_FIXED];
            laneSums(vector, x, plane * hw, hw, lanes);
            y[plane] = pairwiseSum16(lanes) / hw;
        });
    }

    /** dx (n,c,h,w) = dy[plane] / (h·w) everywhere in the plane. */
    public static void globalAvgPoolBackward(float[] dy, int n, int c, int h, int w, float[] dx) {
        checkDims("Pool.globalAvgPoolBackward", n, c, h, w);
        checkLength("Pool.globalAvgPoolBackward", "dy", dy, n * c, n, c, h, w);
        checkLength("Pool.globalAvgPoolBackward", "dx", dx, n * c * h * w, n, c, h, w);
        final int hw = h * w;
        Parallel.forTasks(n * c, plane -> Arrays.fill(dx, plane * hw, (plane + 1) * hw, dy[plane] / hw));
    }

    /** y (n,c) = max of each plane of x (n,c,h,w); argmax (n,c) = its row-major index h·w-wise. */
    public static void globalMaxPool(float[] x, int n, int c, int h, int w, float[] y, int[] argmax) {
        checkDims("Pool.globalMaxPool", n, c, h, w);
        checkLength("Pool.globalMaxPool", "x", x, n * c * h * w, n, c, h, w);
        checkLength("Pool.globalMaxPool", "y", y, n * c, n, c, h, w);
        if (argmax == null || argmax.length != n * c)
            throw new IllegalArgumentException("Pool.globalMaxPool: argmax needs " + n * c + " elements for (" + n + "," + c + "," + h + "," + w + ")");
        final int hw = h * w;
        Parallel.forTasks(n * c, plane -> {
            int base = plane * hw, best = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < hw; i++) {
                float v = x[base + i];
                if (v > max || Float.isNaN(v)) { max = v; best = i; }
            }
            y[plane] = max;
            argmax[plane] = best;
        });
    }

    /** dx (n,c,h,w) = dy[plane] at argmax[plane], 0 elsewhere. */
    public static void globalMaxPoolBackward(float[] dy, int[] argmax, int n, int c, int h, int w, float[] dx) {
        checkDims("Pool.globalMaxPoolBackward", n, c, h, w);
        checkLength("Pool.globalMaxPoolBackward", "dy", dy, n * c, n, c, h, w);
        checkLength("Pool.globalMaxPoolBackward", "dx", dx, n * c * h * w, n, c, h, w);
        final int hw = h * w;
        for (int plane = 0; plane < n * c; plane++)
            if (argmax[plane] < 0 || argmax[plane] >= hw)
                throw new IllegalArgumentException("Pool.globalMaxPoolBackward: argmax " + argmax[plane] + " outside a plane of " + hw);
        Arrays.fill(dx, 0f);
        for (int plane = 0; plane < n * c; plane++) dx[plane * hw + argmax[plane]] = dy[plane];
    }

    // ---------------------------------------------------------------- helpers

    /** lanes[l] = Σ a[off + i] over i ≡ l (mod 16), i ascending, from 0. */
    static void laneSums(boolean vector, float[] a, int off, int len, float[] lanes) {
        Arrays.fill(lanes, 0f);
        int full = len - len % LANES_FIXED, i = 0;
        if (vector) {
            int lanesPerVector = Simd.F.length();
            for (int v = 0; v < LANES_FIXED; v += lanesPerVector) {
                FloatVector acc = FloatVector.zero(Simd.F);
                for (int j = v; j < full; j += LANES_FIXED) acc = acc.add(FloatVector.fromArray(Simd.F, a, off + j));
                acc.intoArray(lanes, v);
            }
            i = full;
        }
        for (; i < len; i++) lanes[i % LANES_FIXED] = lanes[i % LANES_FIXED] + a[off + i];
    }

    /** ((l0+l1)+(l2+l3)) + ...: the fixed pairwise sum of 16 partials. */
    static float pairwiseSum16(float[] l) {
        float a = (l[0] + l[1]) + (l[2] + l[3]), b = (l[4] + l[5]) + (l[6] + l[7]);
        float c = (l[8] + l[9]) + (l[10] + l[11]), d = (l[12] + l[13]) + (l[14] + l[15]);
        return (a + b) + (c + d);
    }

    private static void checkDims(String kernel, int n, int c, int h, int w) {
        if (n < 1 || c < 1 || h < 1 || w < 1)
            throw new IllegalArgumentException(kernel + ": non-positive size (" + n + "," + c + "," + h + "," + w + ")");
        if ((long) n * c * h * w > Integer.MAX_VALUE)
            throw new IllegalArgumentException(kernel + ": too large (" + n + "," + c + "," + h + "," + w + ")");
    }

    private static void checkWindow(String kernel, int n, int c, int h, int w, int kh, int kw, int sh, int sw) {
        checkDims(kernel, n, c, h, w);
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || kh > h || kw > w)
            throw new IllegalArgumentException(kernel + ": window (" + kh + "," + kw + ") stride (" + sh + "," + sw
                    + ") does not fit input (" + n + "," + c + "," + h + "," + w + ")");
    }

    private static void checkLength(String kernel, String name, float[] a, int expected, int n, int c, int h, int w) {
        if (a == null || a.length != expected)
            throw new IllegalArgumentException(kernel + ": " + name + " has " + (a == null ? "no array" : a.length + " elements")
                    + ", expected " + expected + " for input (" + n + "," + c + "," + h + "," + w + ")");
    }
}
