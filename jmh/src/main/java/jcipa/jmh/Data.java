package jcipa.jmh;

import java.util.SplittableRandom;

/** Seeded benchmark inputs. */
final class Data {
    private Data() {}

    static float[] uniform(SplittableRandom r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(lo, hi);
        return a;
    }
}
