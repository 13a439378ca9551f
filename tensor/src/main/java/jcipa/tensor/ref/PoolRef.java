package jcipa.tensor.ref;

/**
 * Float64 reference of the pooling kernels on contiguous NCHW arrays (see
 * {@code jcipa.tensor.kernels.Pool}): average pooling with a (kh, kw) window and (sh, sw) stride
 * (no padding, floor mode), and the adaptive average / max pools to 1×1 with their gradients.
 */
public final class PoolRef {
    private PoolRef() {}

    /** y[oy,ox] = (1/(kh·kw)) Σ_{ky,kx} x[oy·sh+ky, ox·sw+kx], per plane. */
    public static double[] avgPool2d(double[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw) {
        int ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        double[] y = new double[n * c * ho * wo];
        for (int p = 0; p < n * c; p++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    double sum = 0.0;
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++) sum += x[(p * h + oy * sh + ky) * w + ox * sw + kx];
                    y[(p * ho + oy) * wo + ox] = sum / (kh * kw);
                }
        return y;
    }

    /** dx[iy,ix] = Σ over the windows containing (iy,ix) of dy / (kh·kw). */
    public static double[] avgPool2dBackward(double[] dy, int n, int c, int h, int w, int kh, int kw, int sh, int sw) {
        int ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        double[] dx = new double[n * c * h * w];
        for (int p = 0; p < n * c; p++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                            dx[(p * h + oy * sh + ky) * w + ox * sw + kx] += dy[(p * ho + oy) * wo + ox] / (kh * kw);
        return dx;
    }

    /** y[plane] = mean of the plane. */
    public static double[] globalAvgPool(double[] x, int n, int c, int h, int w) {
        double[] y = new double[n * c];
        for (int p = 0; p < n * c; p++) {
            double sum = 0.0;
            for (int i = 0; i < h * w; i++) sum += x[p * h * w + i];
            y[p] = sum / (h * w);
        }
        return y;
    }

    /** dx = dy[plane] / (h·w) over the plane. */
    public static double[] globalAvgPoolBackward(double[] dy, int n, int c, int h, int w) {
        double[] dx = new double[n * c * h * w];
        for (int i = 0; i < dx.length; i++) dx[i] = dy[i / (h * w)] / (h * w);
        return dx;
    }

    /**
     * The row-major index of each plane's maximum: the first maximal element, or the last NaN when
     * the plane holds NaN (PyTorch's CPU rule: replace when greater or NaN).
     */
    public static int[] globalArgmax(double[] x, int n, int c, int h, int w) {
        int[] idx = new int[n * c];
        for (int p = 0; p < n * c; p++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < h * w; i++) {
                double v = x[p * h * w + i];
                if (v > best || Double.isNaN(v)) { best = v; idx[p] = i; }
            }
        }
        return idx;
    }

    /** y[plane] = x[plane, argmax]. */
    public static double[] globalMaxPool(double[] x, int n, int c, int h, int w) {
        int[] idx = globalArgmax(x, n, c, h, w);
        double[] y = new double[n * c];
        for (int p = 0; p < n * c; p++) y[p] = x[p * h * w + idx[p]];
        return y;
    }

    /** dx = dy[plane] at the plane's argmax, 0 elsewhere. */
    public static double[] globalMaxPoolBackward(double[] x, double[] dy, int n, int c, int h, int w) {
        int[] idx = globalArgmax(x, n, c, h, w);
        double[] dx = new double[n * c * h * w];
        for (int p = 0; p < n * c; p++) dx[p * h * w + idx[p]] = dy[p];
        return dx;
    }
}
