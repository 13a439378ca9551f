package jcipa.verify;

import java.util.Locale;

/**
 * Counts of the float32 ulp distance between two tensors' elements, in buckets 0, 1, 2–3, 4–7,
 * …, 2^19–(2^20−1), ≥ 2^20. The distance is |ord(a) − ord(b)| where ord maps a float's bits to an
 * integer that increases with the value (ord(−x) = −ord(x), so +0 and −0 are 0 apart); double
 * values are rounded to float32 first. A NaN on either side lands in the last bucket.
 */
public final class UlpHistogram {
    /** Buckets: 0, then [2^(i−1), 2^i) for i = 1..20, then ≥ 2^20. */
    public static final int BUCKETS = 22;

    private final long[] counts = new long[BUCKETS];
    private long maxUlps;

    /** The order-preserving integer of a float's bits. */
    static long ordered(float x) {
        int bits = Float.floatToRawIntBits(x);
        return bits >= 0 ? bits : -(long) (bits & 0x7fffffff);
    }

    /** Ulps between two floats; {@link Long#MAX_VALUE} if either is NaN. */
    public static long distance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    static int bucket(long ulps) {
        if (ulps == 0) return 0;
        int b = 64 - Long.numberOfLeadingZeros(ulps);   // 1 for 1, 2 for 2..3, 3 for 4..7, ...
        return Math.min(b, BUCKETS - 1);
    }

    public void add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) add(distance((float) a[i], (float) b[i]));
    }

    void add(long ulps) {
        counts[bucket(ulps)]++;
        maxUlps = Math.max(maxUlps, ulps);
    }

    public void addAll(UlpHistogram o) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += o.counts[i];
        maxUlps = Math.max(maxUlps, o.maxUlps);
    }

    public long[] counts() { return counts.clone(); }

    public long total() {
        long t = 0;
        for (long c : counts) t += c;
        return t;
    }

    /** The largest distance seen ({@link Long#MAX_VALUE} after a NaN mismatch). */
    public long maxUlps() { return maxUlps; }

    /** A bucket's label: "0", "1", "2-3", ..., ">=2^20". */
    public static String label(int bucket) {
        if (bucket == 0) return "0";
        if (bucket == 1) return "1";
        if (bucket == BUCKETS - 1) return ">=2^20";
        long lo = 1L << (bucket - 1);
        return lo + "-" + (2 * lo - 1);
    }

    /** One line of the non-empty buckets, e.g. {@code 0:120 1:4 2-3:1}. */
    public String compact() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) if (counts[i] > 0) s.append(s.isEmpty() ? "" : " ").append(label(i)).append(':').append(counts[i]);
        return s.toString();
    }

    /** One row per bucket up to the last non-empty one, with a bar of '#' on a log scale. */
    public String bars() {
        int last = 0;
        for (int i = 0; i < BUCKETS; i++) if (counts[i] > 0) last = i;
        StringBuilder s = new StringBuilder();
        long total = Math.max(1, total());
        for (int i = 0; i <= last; i++) {
            int width = counts[i] == 0 ? 0 : 1 + (int) Math.round(40 * Math.log10(counts[i]) / Math.log10(Math.max(10, total)));
            s.append(String.format(Locale.ROOT, "  %-20s %12d %7.3f%%  %s%n", label(i) + " ulps", counts[i], 100.0 * counts[i] / total, "#".repeat(width)));
        }
        return s.toString();
    }
}
