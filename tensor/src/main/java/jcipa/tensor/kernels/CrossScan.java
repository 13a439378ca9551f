package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SS2D's four scan orders, float32 (the math, shapes and addition order are those of
 * {@link jcipa.tensor.ref.CrossScanRef}): CrossScan x (B, C, H, W) → xs (B, 4, C, L = H·W) in orders
 * row-major, column-major, and both reversed; CrossMerge ys (B, 4, C, L) → y (B, C, L) with
 * y[p] = (ys0[p] + ys2[L−1−p]) + (ys1[q] + ys3[L−1−q]), q the column-major index of pixel p.
 *
 * <p>Each is the other's backward: ∂/∂x of CrossScan is CrossMerge of the upstream gradient, and
 * ∂/∂ys of CrossMerge is CrossScan of it. Error bound against the float64 reference on the same
 * inputs: CrossScan is exact (it only copies); CrossMerge rounds three additions per pixel in a fixed
 * order, so |y − y_ref| ≤ 2u·(1+2u)·Σ|four terms| with u = 2⁻²⁴ (tested by {@code CrossScanTest}).
 * One task per (b, c) plane, each writing only its plane, so the bits do not depend on the thread count.
 */
public final class CrossScan {
    private CrossScan() {}

    /** xs (B, 4, C, H·W) = CrossScan(x (B, C, H, W)). */
    public static void crossScan(float[] x, int batch, int channels, int height, int width, float[] outXs) {
        check("crossScan", batch, channels, height, width, x, outXs);
        int L = height * width;
        boolean tiles = TileTranspose.AVAILABLE;
        Parallel.forTasks(batch * channels, plane -> {
            int b = plane / channels, c = plane % channels;
            int in = plane * L;
            int k0 = seq(b, 0, c, channels, L), k1 = seq(b, 1, c, channels, L);
            int k2 = seq(b, 2, c, channels, L), k3 = seq(b, 3, c, channels, L);
            System.arraycopy(x, in, outXs, k0, L);
            if (tiles) {
                reversed(x, in, outXs, k2, L);
                TileTranspose.plane(x, in, height, width, outXs, k1);
                reversed(outXs, k1, outXs, k3, L);
                return;
            }
            for (int p = 0; p < L; p++) outXs[k2 + L - 1 - p] = x[in + p];
            for (int w = 0; w < width; w++) {
                for (int h = 0; h < height; h++) {
                    float v = x[in + h * width + w];
                    int q = w * height + h;
                    outXs[k1 + q] = v;
                    outXs[k3 + L - 1 - q] = v;
                }
            }
        });
    }

    /** y (B, C, H·W) = CrossMerge(ys (B, 4, C, H·W)). */
    public static void crossMerge(float[] ys, int batch, int channels, int height, int width, float[] outY) {
        check("crossMerge", batch, channels, height, width, outY, ys);
        int L = height * width;
        boolean tiles = TileTranspose.AVAILABLE;
        Parallel.forTasks(batch * channels, plane -> {
            int b = plane / channels, c = plane % channels;
            int out = plane * L;
            int k0 = seq(b, 0, c, channels, L), k1 = seq(b, 1, c, channels, L);
            int k2 = seq(b, 2, c, channels, L), k3 = seq(b, 3, c, channels, L);
            if (tiles) {
                // the same three additions per pixel: colMajor in column order, moved to row order, then the rest
                float[] colMajor = new float[L];
                addReversed(ys, k1, ys, k3, colMajor, 0, L);                  // ys1[q] + ys3[L−1−q]
                TileTranspose.plane(colMajor, 0, width, height, outY, out);   // (w, h) → (h, w)
                addReversedThen(ys, k0, ys, k2, outY, out, L);               // (ys0[p] + ys2[L−1−p]) + that
                return;
            }
            for (int h = 0; h < height; h++) {
                for (int w = 0; w < width; w++) {
                    int p = h * width + w, q = w * height + h;
                    float rowMajor = ys[k0 + p] + ys[k2 + L - 1 - p];
                    float colMajor = ys[k1 + q] + ys[k3 + L - 1 - q];
                    outY[out + p] = rowMajor + colMajor;
                }
            }
        });
    }

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int W = F.length();
    /** Lane i takes lane W−1−i. */
    private static final VectorShuffle<Float> REVERSE = VectorShuffle.iota(F, W - 1, -1, false);

    /** dst[d + n−1−i] = src[s + i], i &lt; n. */
    private static void reversed(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += W)
            FloatVector.fromArray(F, src, s + i).rearrange(REVERSE).intoArray(dst, d + n - i - W);
        for (; i < n; i++) dst[d + n - 1 - i] = src[s + i];
    }

    /** out[o + i] = a[ao + i] + b[bo + n−1−i], i &lt; n. */
    private static void addReversed(float[] a, int ao, float[] b, int bo, float[] out, int o, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += W) {
            FloatVector rev = FloatVector.fromArray(F, b, bo + n - i - W).rearrange(REVERSE);
            FloatVector.fromArray(F, a, ao + i).add(rev).intoArray(out, o + i);
        }
        for (; i < n; i++) out[o + i] = a[ao + i] + b[bo + n - 1 - i];
    }

    /** acc[o + i] = (a[ao + i] + b[bo + n−1−i]) + acc[o + i], i &lt; n. */
    private static void addReversedThen(float[] a, int ao, float[] b, int bo, float[] acc, int o, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += W) {
            FloatVector rev = FloatVector.fromArray(F, b, bo + n - i - W).rearrange(REVERSE);
            FloatVector.fromArray(F, a, ao + i).add(rev).add(FloatVector.fromArray(F, acc, o + i)).intoArray(acc, o + i);
        }
        for (; i < n; i++) acc[o + i] = (a[ao + i] + b[bo + n - 1 - i]) + acc[o + i];
    }

    /** Start of sequence (b, k, c) in a (B, 4, C, L) array. */
    private static int seq(int b, int k, int c, int channels, int L) {
        return ((b * 4 + k) * channels + c) * L;
    }

    private static void check(String op, int batch, int channels, int height, int width, float[] image, float[] scans) {
        long size = (long) batch * channels * height * width;
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || size * 4 > Integer.MAX_VALUE
                || image == null || scans == null || image.length != size || scans.length != 4 * size) {
            throw new IllegalArgumentException("CrossScan." + op + ": batch=" + batch + " channels=" + channels
                    + " height=" + height + " width=" + width + " needs image length " + size + " and scans length "
                    + 4 * size + ", got " + (image == null ? "null" : image.length) + " and "
                    + (scans == null ? "null" : scans.length));
        }
    }
}
