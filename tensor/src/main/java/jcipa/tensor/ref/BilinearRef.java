package jcipa.tensor.ref;

/**
 * Float64 reference of bilinear resampling, PyTorch {@code F.interpolate(mode="bilinear",
 * align_corners=False)}, on contiguous NCHW planes, with its gradient (see
 * {@code jcipa.tensor.kernels.Bilinear}).
 *
 * <p>Along each axis, output o reads the source coordinate src = max(0, (o + ½)·scale − ½) with
 * scale = in/out when the size is given and 1/scale_factor when a scale factor is given; its
 * neighbours are i0 = min(⌊src⌋, in−1) and i1 = min(i0+1, in−1) with weights λ1 = src − i0 and
 * λ0 = 1 − λ1 (an axis whose size does not change is copied: i0 = i1 = o, λ1 = 0). Then
 * y = λ0·(μ0·x[i0,j0] + μ1·x[i0,j1]) + λ1·(μ0·x[i1,j0] + μ1·x[i1,j1]), and the gradient scatters
 * dy with the same four weights.
 */
public final class BilinearRef {
    private BilinearRef() {}

    /** Source indices and weights along one axis. */
    public record Axis(int in, int out, int[] i0, int[] i1, double[] l0, double[] l1) {
        /** The axis for a given output size: scale = in/out. */
        public static Axis ofSize(int in, int out) { return of(in, out, (double) in / out); }

        /** The axis for a scale factor s: out = ⌊in·s⌋, scale = 1/s. */
        public static Axis ofScale(int in, double s) { return of(in, (int) Math.floor(in * s), 1.0 / s); }

        static Axis of(int in, int out, double scale) {
            int[] i0 = new int[out], i1 = new int[out];
            double[] l0 = new double[out], l1 = new double[out];
            for (int o = 0; o < out; o++) {
                if (in == out) { i0[o] = i1[o] = o; l0[o] = 1; continue; }
                double src = Math.max(0.0, (o + 0.5) * scale - 0.5);
                i0[o] = Math.min((int) Math.floor(src), in - 1);
                i1[o] = Math.min(i0[o] + 1, in - 1);
                l1[o] = Math.min(Math.max(src - i0[o], 0.0), 1.0);
                l0[o] = 1.0 - l1[o];
            }
            return new Axis(in, out, i0, i1, l0, l1);
        }
    }

    /** y (n,c,rows.out,cols.out) from x (n,c,rows.in,cols.in). */
    public static double[] forward(double[] x, int n, int c, Axis rows, Axis cols) {
        int h = rows.in(), w = cols.in(), ho = rows.out(), wo = cols.out();
        double[] y = new double[n * c * ho * wo];
        for (int p = 0; p < n * c; p++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    int r0 = (p * h + rows.i0()[oy]) * w, r1 = (p * h + rows.i1()[oy]) * w;
                    int j0 = cols.i0()[ox], j1 = cols.i1()[ox];
                    double m0 = cols.l0()[ox], m1 = cols.l1()[ox];
                    double top = m0 * x[r0 + j0] + m1 * x[r0 + j1];
                    double bottom = m0 * x[r1 + j0] + m1 * x[r1 + j1];
                    y[(p * ho + oy) * wo + ox] = rows.l0()[oy] * top + rows.l1()[oy] * bottom;
                }
        return y;
    }

    /** dx (n,c,rows.in,cols.in): each output's dy spread over its four corners with its weights. */
    public static double[] backward(double[] dy, int n, int c, Axis rows, Axis cols) {
        int h = rows.in(), w = cols.in(), ho = rows.out(), wo = cols.out();
        double[] dx = new double[n * c * h * w];
        for (int p = 0; p < n * c; p++)
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++) {
                    double g = dy[(p * ho + oy) * wo + ox];
                    int r0 = (p * h + rows.i0()[oy]) * w, r1 = (p * h + rows.i1()[oy]) * w;
                    int j0 = cols.i0()[ox], j1 = cols.i1()[ox];
                    double l0 = rows.l0()[oy], l1 = rows.l1()[oy], m0 = cols.l0()[ox], m1 = cols.l1()[ox];
                    dx[r0 + j0] += l0 * m0 * g;
                    dx[r0 + j1] += l0 * m1 * g;
                    dx[r1 + j0] += l1 * m0 * g;
                    dx[r1 + j1] += l1 * m1 * g;
                }
        return dx;
    }
}
