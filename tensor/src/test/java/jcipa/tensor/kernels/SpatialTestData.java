package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.Supplier;
import jcipa.tensor.parallel.Parallel;

/** Random data, conversions and bound checks shared by the conv, pooling and bilinear kernel tests. */
final class SpatialTestData {
    private SpatialTestData() {}

    /** The float32 unit roundoff 2⁻²⁴. */
    static final double U = 0x1p-24;

    static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    static double[] toDouble(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static float[] abs(float[] a) {
        if (a == null) return null;
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Math.abs(a[i]);
        return b;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Fails unless |got[i] − ref[i]| ≤ factor·u·mag[i] for every i. */
    static void assertWithin(String what, float[] got, double[] ref, double factor, double[] mag) {
        if (got.length != ref.length) fail(what + ": length " + got.length + " vs " + ref.length);
        for (int i = 0; i < got.length; i++) {
            double bound = factor * U * mag[i];
            double err = Math.abs(got[i] - ref[i]);
            if (!(err <= bound))
                fail(what + ": element " + i + " got " + got[i] + " ref " + ref[i] + " error " + err + " > bound " + bound
                        + " (factor " + factor + ", magnitude " + mag[i] + ")");
        }
    }

    /** Fails unless the two arrays have identical bits. */
    static void assertSameBits(String what, float[] a, float[] b) {
        if (a.length != b.length) fail(what + ": length " + a.length + " vs " + b.length);
        for (int i = 0; i < a.length; i++)
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i]))
                fail(what + ": element " + i + " differs: " + a[i] + " vs " + b[i]);
    }

    /** Runs {@code body} with the given thread count, restoring the previous one. */
    static <T> T withThreads(int threads, Supplier<T> body) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return body.get();
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** One element of {@code pool}, uniformly. */
    static int pick(Random r, int... pool) {
        return pool[r.nextInt(pool.length)];
    }
}
