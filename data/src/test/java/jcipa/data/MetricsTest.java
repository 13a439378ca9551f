package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MetricsTest {

    /** An h×w mask with the given (y, x) pixels set. */
    static boolean[] mask(int h, int w, int... yx) {
        boolean[] m = new boolean[h * w];
        for (int i = 0; i < yx.length; i += 2) m[yx[i] * w + yx[i + 1]] = true;
        return m;
    }

    static boolean[] rect(int h, int w, int y0, int x0, int y1, int x1) {
        boolean[] m = new boolean[h * w];
        for (int y = y0; y <= y1; y++) for (int x = x0; x <= x1; x++) m[y * w + x] = true;
        return m;
    }

    @Test
    void confusionCountsAndSetScores() {
        boolean[] gt = mask(2, 3, 0, 0, 0, 1, 1, 2);
        boolean[] pred = mask(2, 3, 0, 1, 1, 0, 1, 2);
        Metrics m = Metrics.of(pred, gt);
        assertEquals(new Metrics(2, 1, 1, 2), m);
        SetMetrics s = new SetMetrics();
        s.add(m, 1.0);
        s.add(new Metrics(1, 0, 3, 6), 4.0);
        assertArrayEquals(new long[] {3, 1, 4, 8}, s.total().toArray());
        assertEquals(3.0 / 8, s.iou(), 0);
        assertEquals(6.0 / 11, s.f1(), 0);
        assertEquals((3.0 / 7 + 8.0 / 9) / 2, s.acc(), 1e-15);
        assertEquals(2.5, s.meanHd95(), 0);
        // pred.py's rules for empty denominators
        SetMetrics none = new SetMetrics();
        none.add(new Metrics(0, 0, 0, 5), 0.0);
        assertEquals(1.0, none.iou());
        assertEquals(1.0, none.f1());
        assertTrue(Double.isNaN(none.acc()), "0/0 TPR is NaN as in numpy");
    }

    @Test
    void singlePixelAgainstAShiftedPixel() {
        assertEquals(3.0, Hd95.of(mask(8, 8, 2, 2), mask(8, 8, 2, 5), 8, 8), 0);
        assertEquals(5.0, Hd95.of(mask(8, 8, 1, 1), mask(8, 8, 4, 5), 8, 8), 0);
    }

    /** Both directed sets go into one percentile: {3} ∪ {3, 4} gives lerp(3, 4, 0.9) = 3.9, not max(3, 3.95). */
    @Test
    void percentileOfBothDirectedSetsTogether() {
        double hd = Hd95.of(mask(3, 8, 1, 0), mask(3, 8, 1, 3, 1, 4), 3, 8);
        assertEquals(3.9, hd, 1e-12);
    }

    /** 3×3 inside 5×5: the inner square's 8 surface pixels are 1 from the outer; the outer's corners √2 from the inner. */
    @Test
    void squareInsideABiggerSquare() {
        boolean[] small = rect(9, 9, 3, 3, 5, 5), big = rect(9, 9, 2, 2, 6, 6);
        assertEquals(8, Masks.count(Surface.of(small, 9, 9)));
        assertEquals(16, Masks.count(Surface.of(big, 9, 9)));
        // 8 + 12 ones and 4 × √2: index 23·0.95 = 21.85 lies among the √2s
        assertEquals(Math.sqrt(2), Hd95.of(small, big, 9, 9), 1e-15);
        // 2×2 inside 6×6 (1 ring gap): inner 4 pixels 2 away; outer 20 surface pixels: 4 corners √8,
        // 8 next to corners √5, 8 edge middles 2. 24 values sorted: 2×12, √5×8, √8×4; index 21.85 → √8.
        boolean[] tiny = rect(10, 10, 4, 4, 5, 5), ring = rect(10, 10, 2, 2, 7, 7);
        assertEquals(Math.sqrt(8), Hd95.of(tiny, ring, 10, 10), 1e-15);
    }

    /** Pixels outside the image are background: a full 5×5 mask has its 16 border pixels as surface. */
    @Test
    void masksTouchingTheBorder() {
        boolean[] full = rect(5, 5, 0, 0, 4, 4);
        assertEquals(16, Masks.count(Surface.of(full, 5, 5)));
        // against the centre pixel: 4 edge middles at 2, 8 at √5, 4 corners at √8, and 2 back;
        // 17 values, index 16·0.95 = 15.2 → √8
        assertEquals(Math.sqrt(8), Hd95.of(full, mask(5, 5, 2, 2), 5, 5), 1e-15);
        // a one-pixel-wide column on the left edge is all surface
        assertEquals(6, Masks.count(Surface.of(rect(6, 4, 0, 0, 5, 0), 6, 4)));
    }

    @Test
    void emptyMasksFollowPredPy() {
        boolean[] empty = new boolean[64], corner = mask(8, 8, 0, 0);
        assertEquals(0.0, Hd95.asPredPy(empty, empty, 8, 8));
        // empty prediction: one pixel at (4, 4) first, √(16 + 16) from (0, 0)
        assertEquals(Math.sqrt(32), Hd95.asPredPy(empty, corner, 8, 8), 0);
        assertEquals(0, Masks.count(empty), "the caller's mask is left alone");
        // odd sizes: (h/2, w/2) rounded down → (2, 3) in 5×7
        assertEquals(Math.sqrt(4 + 9), Hd95.asPredPy(new boolean[35], mask(5, 7, 0, 0), 5, 7), 0);
        // an empty ground truth under a non-empty prediction: medpy raises and pred.py does not catch it
        assertThrows(IllegalArgumentException.class, () -> Hd95.asPredPy(corner, empty, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Hd95.of(empty, corner, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Hd95.of(corner, corner, 8, 7));
    }

    /** The distance transform against brute force over all site pairs, on random masks of random sizes. */
    @Test
    void distanceTransformIsExact() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + r.nextInt(40), w = 1 + r.nextInt(40);
            double density = r.nextDouble() * r.nextDouble() * 0.3;
            boolean[] sites = new boolean[h * w];
            for (int i = 0; i < sites.length; i++) sites[i] = r.nextDouble() < density;
            long[] d = DistanceTransform.squared(sites, h, w);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    long best = DistanceTransform.NONE;
                    for (int yy = 0; yy < h; yy++)
                        for (int xx = 0; xx < w; xx++)
                            if (sites[yy * w + xx]) best = Math.min(best, (long) (y - yy) * (y - yy) + (long) (x - xx) * (x - xx));
                    assertEquals(best, d[y * w + x], "h=" + h + " w=" + w + " at " + y + "," + x);
                }
        }
    }

    /** HD95 against a plain restatement: brute-force surfaces and distances, sorted, linearly interpolated. */
    @Test
    void hd95AgainstBruteForce() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 150; trial++) {
            int h = 1 + r.nextInt(30), w = 1 + r.nextInt(30);
            boolean[] a = blobs(r, h, w), b = blobs(r, h, w);
            if (Masks.count(a) == 0 || Masks.count(b) == 0) continue;
            List<Double> all = new ArrayList<>();
            all.addAll(bruteDirected(a, b, h, w));
            all.addAll(bruteDirected(b, a, h, w));
            double[] v = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double idx = 0.95 * (v.length - 1);
            int lo = (int) Math.floor(idx);
            double expect = lo + 1 < v.length ? v[lo] + (v[lo + 1] - v[lo]) * (idx - lo) : v[lo];
            assertEquals(expect, Hd95.of(a, b, h, w), 1e-12, "trial " + trial);
        }
    }

    @Test
    void numpyPercentileAndMean() {
        assertEquals(3.9, NumpyStats.percentile(new double[] {4, 3, 3}, 95), 1e-15);
        assertEquals(7.0, NumpyStats.percentile(new double[] {7}, 95));
        assertEquals(2.5, NumpyStats.percentile(new double[] {1, 2, 3, 4}, 50));
        double[] a = new double[300];
        Arrays.setAll(a, i -> 1.0 / (i + 1));
        double plain = 0;
        for (double x : a) plain += x;
        assertEquals(plain / 300, NumpyStats.mean(a), 1e-15);
    }

    static boolean[] blobs(SplittableRandom r, int h, int w) {
        boolean[] m = new boolean[h * w];
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
            int y0 = r.nextInt(h), x0 = r.nextInt(w), y1 = Math.min(h - 1, y0 + r.nextInt(8)), x1 = Math.min(w - 1, x0 + r.nextInt(8));
            for (int y = y0; y <= y1; y++) for (int x = x0; x <= x1; x++) m[y * w + x] = true;
        }
        for (int i = 0; i < m.length; i++) if (r.nextInt(20) == 0) m[i] = !m[i];
        return m;
    }

    static List<Double> bruteDirected(boolean[] a, boolean[] b, int h, int w) {
        List<int[]> sa = surface(a, h, w), sb = surface(b, h, w);
        List<Double> out = new ArrayList<>();
        for (int[] p : sa) {
            double best = Double.POSITIVE_INFINITY;
            for (int[] q : sb) best = Math.min(best, Math.hypot(p[0] - q[0], p[1] - q[1]));
            out.add(best);
        }
        return out;
    }

    /** Foreground pixels with a 4-neighbour that is background or off the image. */
    static List<int[]> surface(boolean[] m, int h, int w) {
        List<int[]> s = new ArrayList<>();
        int[][] nb = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (!m[y * w + x]) continue;
                for (int[] d : nb) {
                    int yy = y + d[0], xx = x + d[1];
                    if (yy < 0 || yy >= h || xx < 0 || xx >= w || !m[yy * w + xx]) { s.add(new int[] {y, x}); break; }
                }
            }
        return s;
    }
}
