package jcipa.data;

import java.util.Arrays;

/** numpy's mean and linear-interpolation percentile, with numpy's order of float64 operations. */
public final class NumpyStats {
    private NumpyStats() {}

    /** {@code np.mean(a)}: numpy's pairwise sum (from 0), divided by n. */
    public static double mean(double[] a) {
        if (a.length == 0) return Double.NaN;
        return pairwiseSum(a, 0, a.length) / a.length;
    }

    /**
     * numpy's pairwise summation: below 8 terms a plain loop; up to 128 terms eight running sums
     * combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) then the leftover terms; above, split at
     * half rounded down to a multiple of 8.
     */
    static double pairwiseSum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) res += a[from + i];
            return res;
        }
        if (n <= 128) {
            double[] r = Arrays.copyOfRange(a, from, from + 8);
            int i = 8;
            for (; i < n - (n % 8); i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[from + i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[from + i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
    }

    /**
     * {@code np.percentile(a, q)} with the default linear method: sorted values v, virtual index
     * i = (n − 1)·q/100, the result lerp(v[⌊i⌋], v[⌊i⌋+1], i − ⌊i⌋) computed as numpy does
     * (a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5).
     */
    public static double percentile(double[] a, double q) {
        if (a.length == 0) throw new IllegalArgumentException("NumpyStats.percentile: empty array");
        if (!(q >= 0 && q <= 100)) throw new IllegalArgumentException("NumpyStats.percentile: q = " + q + " outside [0, 100]");
        double[] v = a.clone();
        Arrays.sort(v);
        int n = v.length;
        double index = (n - 1) * (q / 100);
        double lower = Math.floor(index);
        int lo = (int) lower, hi = Math.min(lo + 1, n - 1);
        double t = index - lower;
        double va = v[lo], vb = v[hi], diff = vb - va;
        return t >= 0.5 ? vb - diff * (1 - t) : va + diff * t;
    }
}
