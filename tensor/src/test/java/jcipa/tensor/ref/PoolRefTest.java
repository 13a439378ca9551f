package jcipa.tensor.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PoolRefTest {

    @Test
    void handWorkedValues() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};  // one 4×4 plane
        assertArrayEquals(new double[]{3.5, 5.5, 11.5, 13.5}, PoolRef.avgPool2d(x, 1, 1, 4, 4, 2, 2, 2, 2), 1e-15);
        assertArrayEquals(new double[]{6, 7, 10, 11}, PoolRef.avgPool2d(x, 1, 1, 4, 4, 3, 3, 1, 1), 1e-15);
        assertArrayEquals(new double[]{8.5}, PoolRef.globalAvgPool(x, 1, 1, 4, 4), 1e-15);
        assertArrayEquals(new double[]{16}, PoolRef.globalMaxPool(x, 1, 1, 4, 4), 0);
        // overlapping 2×2 windows with stride 1 on a 3×3 plane: the centre is in all four
        double[] dx = PoolRef.avgPool2dBackward(new double[]{1, 1, 1, 1}, 1, 1, 3, 3, 2, 2, 1, 1);
        assertArrayEquals(new double[]{0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25}, dx, 1e-15);
    }

    @Property(tries = 60)
    void gradientsMatchCentralDifferences(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(2), c = 1 + r.nextInt(3), h = 1 + r.nextInt(9), w = 1 + r.nextInt(9);
        int kh = 1 + r.nextInt(h), kw = 1 + r.nextInt(w), sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
        int ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        double[] x = Conv2dRefTest.gaussian(r, n * c * h * w), g = Conv2dRefTest.gaussian(r, n * c * ho * wo), gp = Conv2dRefTest.gaussian(r, n * c);
        Conv2dRefTest.checkGradient("avgPool2d", r, x, PoolRef.avgPool2dBackward(g, n, c, h, w, kh, kw, sh, sw),
                v -> Conv2dRefTest.dot(PoolRef.avgPool2d(v, n, c, h, w, kh, kw, sh, sw), g));
        Conv2dRefTest.checkGradient("globalAvgPool", r, x, PoolRef.globalAvgPoolBackward(gp, n, c, h, w),
                v -> Conv2dRefTest.dot(PoolRef.globalAvgPool(v, n, c, h, w), gp));
        // Max is smooth only where each plane's maximum is unique with a gap wider than the step (1e-3);
        // Gaussian draws do not promise that, so the values are distinct multiples of 0.01 in random order.
        double[] xs = spacedDistinct(r, n * c * h * w);
        Conv2dRefTest.checkGradient("globalMaxPool", r, xs, PoolRef.globalMaxPoolBackward(xs, gp, n, c, h, w),
                v -> Conv2dRefTest.dot(PoolRef.globalMaxPool(v, n, c, h, w), gp));
    }

    /** {-k/2, …, k/2}·0.01 shuffled: every two values differ by at least 0.01. */
    static double[] spacedDistinct(Random r, int k) {
        double[] a = new double[k];
        for (int i = 0; i < k; i++) a[i] = (i - k / 2) * 0.01;
        for (int i = k - 1; i > 0; i--) { int j = r.nextInt(i + 1); double t = a[i]; a[i] = a[j]; a[j] = t; }
        return a;
    }

    @Test
    void matchesPyTorchFloat64() {
        for (var rec : TorchSpatialGolden.of("avgpool")) {
            int h = rec.intArg(0), w = rec.intArg(1), k = rec.intArg(2), s = rec.intArg(3);
            int n = rec.get(0).dims()[0], c = rec.get(0).dims()[1];
            TorchSpatialGolden.assertClose("avg " + rec.key(), PoolRef.avgPool2d(rec.get(0).asDouble(), n, c, h, w, k, k, s, s), rec.get(4).d(), 1e-13);
            TorchSpatialGolden.assertClose("avg dx " + rec.key(), PoolRef.avgPool2dBackward(rec.get(1).asDouble(), n, c, h, w, k, k, s, s), rec.get(5).d(), 1e-13);
        }
        for (var rec : TorchSpatialGolden.of("adaptive")) {
            int n = rec.get(0).dims()[0], c = rec.intArg(0), h = rec.intArg(1), w = rec.intArg(2);
            TorchSpatialGolden.assertClose("mean " + rec.key(), PoolRef.globalAvgPool(rec.get(0).asDouble(), n, c, h, w), rec.get(4).d(), 1e-13);
            TorchSpatialGolden.assertClose("mean dx " + rec.key(), PoolRef.globalAvgPoolBackward(rec.get(1).asDouble(), n, c, h, w), rec.get(5).d(), 1e-13);
        }
    }
}
