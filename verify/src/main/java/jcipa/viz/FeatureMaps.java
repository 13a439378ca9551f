package jcipa.viz;

import jcipa.tensor.Tensor;

/**
 * One picture per feature map (C, H, W): each pixel's C values reduced to one number, either their
 * mean or their coordinate along the first principal component of the C-dimensional pixel vectors
 * (the direction of largest variance over the map).
 */
public final class FeatureMaps {
    private FeatureMaps() {}

    public enum Reduction { MEAN, PCA }

    /** x (1, C, H, W) → (H, W). */
    public static double[][] reduce(Tensor x, Reduction how) {
        int[] s = x.shape();
        if (s.length != 4 || s[0] != 1) throw new IllegalArgumentException("FeatureMaps: expected (1, C, H, W), got " + java.util.Arrays.toString(s));
        int c = s[1], h = s[2], w = s[3], p = h * w;
        double[] v = x.contiguous().toDoubleArray();                       // v[ch·P + pixel]
        double[] out = how == Reduction.MEAN ? mean(v, c, p) : firstComponent(v, c, p);
        double[][] map = new double[h][w];
        for (int i = 0; i < h; i++) System.arraycopy(out, i * w, map[i], 0, w);
        return map;
    }

    private static double[] mean(double[] v, int c, int p) {
        double[] m = new double[p];
        for (int ch = 0; ch < c; ch++) for (int i = 0; i < p; i++) m[i] += v[ch * p + i];
        for (int i = 0; i < p; i++) m[i] /= c;
        return m;
    }

    /**
     * Projection of the centred pixel vectors on the leading eigenvector of their C×C covariance,
     * found by power iteration from the all-ones vector (deterministic). The sign is chosen so the
     * projection correlates positively with the channel mean.
     */
    static double[] firstComponent(double[] v, int c, int p) {
        double[] centred = v.clone();
        for (int ch = 0; ch < c; ch++) {
            double m = 0;
            for (int i = 0; i < p; i++) m += v[ch * p + i];
            m /= p;
            for (int i = 0; i < p; i++) centred[ch * p + i] -= m;
        }
        double[] cov = new double[c * c];
        for (int a = 0; a < c; a++)
            for (int b = a; b < c; b++) {
                double s = 0;
                for (int i = 0; i < p; i++) s += centred[a * p + i] * centred[b * p + i];
                cov[a * c + b] = cov[b * c + a] = s;
            }
        double[] e = new double[c];
        java.util.Arrays.fill(e, 1 / Math.sqrt(c));
        for (int it = 0; it < 500; it++) {
            double[] next = new double[c];
            for (int a = 0; a < c; a++) {
                double s = 0;
                for (int b = 0; b < c; b++) s += cov[a * c + b] * e[b];
                next[a] = s;
            }
            double norm = 0;
            for (double x : next) norm += x * x;
            norm = Math.sqrt(norm);
            if (norm == 0) break;                                          // no variance: projection is 0
            double change = 0;
            for (int a = 0; a < c; a++) {
                next[a] /= norm;
                change = Math.max(change, Math.abs(next[a] - e[a]));
            }
            e = next;
            if (change < 1e-12) break;
        }
        double[] proj = new double[p];
        for (int ch = 0; ch < c; ch++) for (int i = 0; i < p; i++) proj[i] += centred[ch * p + i] * e[ch];
        double[] mean = mean(v, c, p);
        double corr = 0;
        for (int i = 0; i < p; i++) corr += proj[i] * mean[i];
        if (corr < 0) for (int i = 0; i < p; i++) proj[i] = -proj[i];
        return proj;
    }
}
