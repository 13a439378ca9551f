package jcipa.tensor.kernels;

import java.util.Random;
import jcipa.tensor.parallel.Parallel;

/** Random inputs and small helpers shared by the kernel tests. */
public final class DenseTestData {
    private DenseTestData() {}

    /** Unit roundoff of float32. */
    public static final double U = 0x1p-24;

    /** n floats uniform in [-scale, scale). */
    public static float[] floats(Random r, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (2f * r.nextFloat() - 1f) * scale;
        return x;
    }

    /** A power of two in [2^-lo, 2^hi], to vary magnitudes. */
    public static float scale(Random r, int lo, int hi) {
        return (float) Math.scalb(1.0, r.nextInt(lo + hi + 1) - lo);
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    public static double[] abs(double[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = Math.abs(x[i]);
        return d;
    }

    /** γ_n = n·u/(1 − n·u), the classic bound on n float32 roundings. */
    public static double gamma(long n) {
        return n * U / (1 - n * U);
    }

    /** Runs body with the given thread count, restoring the previous one. */
    public static void withThreads(int n, Runnable body) {
        int old = Parallel.threads();
        Parallel.setThreads(n);
        try {
            body.run();
        } finally {
            Parallel.setThreads(old);
        }
    }

    /** Index of the first element whose bits differ, or -1. */
    public static int firstBitDifference(float[] x, float[] y) {
        if (x.length != y.length) return 0;
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) return i;
        }
        return -1;
    }
}
