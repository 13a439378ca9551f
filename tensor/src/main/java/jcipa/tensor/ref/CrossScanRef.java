package jcipa.tensor.ref;

/**
 * SS2D's four scan orders of an image, in float64: the source of truth for
 * {@code jcipa.tensor.kernels.CrossScan}.
 *
 * <p>CrossScan reads a feature map x (B, C, H, W) as four sequences of length L = H·W,
 * xs (B, 4, C, L):
 * <pre>
 *   k = 0: row-major        xs0[h·W + w]       = x[h, w]
 *   k = 1: column-major     xs1[w·H + h]       = x[h, w]       (transpose, then flatten)
 *   k = 2: k = 0 reversed   xs2[L − 1 − l]     = xs0[l]
 *   k = 3: k = 1 reversed   xs3[L − 1 − l]     = xs1[l]
 * </pre>
 * CrossMerge folds four sequences ys (B, 4, C, L) back onto the pixels, y (B, C, H·W), adding
 * in this fixed order for pixel p = h·W + w with column-major index q = w·H + h:
 * <pre>
 *   y[p] = (ys0[p] + ys2[L − 1 − p]) + (ys1[q] + ys3[L − 1 − q])
 * </pre>
 * Each is the adjoint (the backward) of the other: CrossScan copies every pixel to four places,
 * CrossMerge sums the four places back into the pixel.
 */
public final class CrossScanRef {
    private CrossScanRef() {}

    /** xs (B, 4, C, H·W) = CrossScan(x (B, C, H, W)). */
    public static void crossScan(double[] x, int batch, int channels, int height, int width, double[] outXs) {
        check("crossScan", batch, channels, height, width, x, outXs);
        int L = height * width;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < height; h++) {
                    for (int w = 0; w < width; w++) {
                        double v = x[((b * channels + c) * height + h) * width + w];
                        int p = h * width + w, q = w * height + h;
                        outXs[seq(b, 0, c, channels, L) + p] = v;
                        outXs[seq(b, 1, c, channels, L) + q] = v;
                        outXs[seq(b, 2, c, channels, L) + L - 1 - p] = v;
                        outXs[seq(b, 3, c, channels, L) + L - 1 - q] = v;
                    }
                }
            }
        }
    }

    /** y (B, C, H·W) = CrossMerge(ys (B, 4, C, H·W)). */
    public static void crossMerge(double[] ys, int batch, int channels, int height, int width, double[] outY) {
        check("crossMerge", batch, channels, height, width, outY, ys);
        int L = height * width;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < height; h++) {
                    for (int w = 0; w < width; w++) {
                        int p = h * width + w, q = w * height + h;
                        double rowMajor = ys[seq(b, 0, c, channels, L) + p] + ys[seq(b, 2, c, channels, L) + L - 1 - p];
                        double colMajor = ys[seq(b, 1, c, channels, L) + q] + ys[seq(b, 3, c, channels, L) + L - 1 - q];
                        outY[(b * channels + c) * L + p] = rowMajor + colMajor;
                    }
                }
            }
        }
    }

    /** Start of sequence (b, k, c) in a (B, 4, C, L) array. */
    private static int seq(int b, int k, int c, int channels, int L) {
        return ((b * 4 + k) * channels + c) * L;
    }

    private static void check(String op, int batch, int channels, int height, int width, double[] image,
                              double[] scans) {
        long size = (long) batch * channels * height * width;
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || size * 4 > Integer.MAX_VALUE
                || image == null || scans == null || image.length != size || scans.length != 4 * size) {
            throw new IllegalArgumentException("CrossScanRef." + op + ": batch=" + batch + " channels=" + channels
                    + " height=" + height + " width=" + width + " needs image length " + size + " and scans length "
                    + 4 * size + ", got " + (image == null ? "null" : image.length) + " and "
                    + (scans == null ? "null" : scans.length));
        }
    }
}
