package jcipa.data;

import java.util.Arrays;

/**
 * The exact Euclidean distance transform: for every pixel, the squared distance to the nearest
 * site, (y − y')² + (x − x')² minimised over the sites (y', x'). This is what scipy's
 * {@code distance_transform_edt(~sites)} gives, squared. Felzenszwalb–Huttenlocher: a column pass
 * (distance to the nearest site in the same column), then per row the lower envelope of the
 * parabolas (x − x')² + g(x')². All distances are integers, so the result is exact.
 */
public final class DistanceTransform {
    private DistanceTransform() {}

    /** Marks a pixel with no site anywhere (only when there are no sites at all). */
    public static final long NONE = Long.MAX_VALUE;

    /** Squared distance from each pixel of an h×w image to the nearest true pixel of {@code sites}. */
    public static long[] squared(boolean[] sites, int h, int w) {
        Hd95.checkDims("DistanceTransform.squared", sites, h, w);
        // column pass: g = |y − y'| to the nearest site in the column, or -1 for none
        int[] g = new int[h * w];
        Arrays.fill(g, -1);
        for (int x = 0; x < w; x++) {
            int last = -1;
            for (int y = 0; y < h; y++) {
                if (sites[y * w + x]) last = y;
                if (last >= 0) g[y * w + x] = y - last;
            }
            last = -1;
            for (int y = h - 1; y >= 0; y--) {
                if (sites[y * w + x]) last = y;
                int i = y * w + x;
                if (last >= 0 && (g[i] < 0 || last - y < g[i])) g[i] = last - y;
            }
        }
        long[] d = new long[h * w];
        int[] v = new int[w];          // columns of the parabolas on the lower envelope
        double[] z = new double[w + 1]; // where envelope parabola k starts to be the lowest
        long[] f = new long[w];
        for (int y = 0; y < h; y++) {
            int k = -1;
            for (int q = 0; q < w; q++) {
                int gq = g[y * w + q];
                if (gq < 0) continue;
                f[q] = (long) gq * gq;
                while (k >= 0) {
                    double s = intersection(f, v[k], q);
                    if (s <= z[k]) k--; else { z[k + 1] = s; break; }
                }
                if (k < 0) z[0] = Double.NEGATIVE_INFINITY;
                v[++k] = q;
                z[k + 1] = Double.POSITIVE_INFINITY;
            }
            if (k < 0) { Arrays.fill(d, y * w, y * w + w, NONE); continue; }
            int j = 0;
            for (int x = 0; x < w; x++) {
                while (z[j + 1] < x) j++;
                long dx = x - v[j];
                d[y * w + x] = dx * dx + f[v[j]];
            }
        }
        return d;
    }

    /** Abscissa where parabola (x − p)² + f[p] meets (x − q)² + f[q], p < q. */
    private static double intersection(long[] f, int p, int q) {
        // The numerator and denominator are exact integers; a non-integer crossing lies at least
        // 1/(2(q − p)) from any integer, far beyond the rounding of one division.
        return (double) ((f[q] + (long) q * q) - (f[p] + (long) p * p)) / (2.0 * (q - p));
    }
}
