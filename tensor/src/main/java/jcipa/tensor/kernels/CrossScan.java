package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;

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
        Parallel.forTasks(batch * channels, plane -> {
            int b = plane / channels, c = plane % channels;
            int in = plane * L;
            int k0 = seq(b, 0, c, channels, L), k1 = seq(b, 1, c, channels, L);
            int k2 = seq(b, 2, c, channels, L), k3 = seq(b, 3, c, channels, L);
            System.arraycopy(x, in, outXs, k0, L);
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
        Parallel.forTasks(batch * channels, plane -> {
            int b = plane / channels, c = plane % channels;
            int out = plane * L;
            int k0 = seq(b, 0, c, channels, L), k1 = seq(b, 1, c, channels, L);
            int k2 = seq(b, 2, c, channels, L), k3 = seq(b, 3, c, channels, L);
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
