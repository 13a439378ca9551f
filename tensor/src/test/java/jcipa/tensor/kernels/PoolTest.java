package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.SpatialTestData.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jcipa.tensor.ref.PoolRef;
import jcipa.tensor.ref.TorchSpatialGolden;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PoolTest {

    record Case(int n, int c, int h, int w, int kh, int kw, int sh, int sw, float[] x) {
        static Case random(long seed) {
            Random r = new Random(seed);
            int h = pick(r, 1, 3, 4, 17, 33, 128), w = pick(r, 1, 3, 5, 17, 40);
            if (h == 128) w = pick(r, 1, 128);
            int kh = Math.min(h, pick(r, 1, 2, 3, 4)), kw = r.nextBoolean() ? Math.min(w, kh) : Math.min(w, pick(r, 1, 2, 3));
            int sh = pick(r, 1, 2, 3, 4), sw = r.nextBoolean() ? sh : pick(r, 1, 2);
            int n = pick(r, 1, 2), c = pick(r, 1, 3, 17);
            float[] x = gaussian(r, n * c * h * w);
            if (r.nextInt(3) == 0) for (int i = 0; i < x.length; i++) x[i] = Math.round(x[i] * 1.5f);  // ties for max
            return new Case(n, c, h, w, kh, kw, sh, sw, x);
        }
        int ho() { return (h - kh) / sh + 1; }
        int wo() { return (w - kw) / sw + 1; }
        int planes() { return n * c; }
        @Override public String toString() { return "(" + n + "," + c + "," + h + "," + w + ") window (" + kh + "," + kw + ") stride (" + sh + "," + sw + ")"; }
    }

    @Property(tries = 150)
    void matchesReferenceWithinDocumentedBounds(@ForAll long seed) {
        Case k = Case.random(seed);
        Random r = new Random(seed + 1);
        int n = k.n(), c = k.c(), h = k.h(), w = k.w(), ho = k.ho(), wo = k.wo(), hw = h * w;
        double[] xd = toDouble(k.x());

        float[] y = new float[k.planes() * ho * wo];
        Pool.avgPool2d(k.x(), n, c, h, w, k.kh(), k.kw(), k.sh(), k.sw(), y);
        double[] mean = PoolRef.avgPool2d(toDouble(abs(k.x())), n, c, h, w, k.kh(), k.kw(), k.sh(), k.sw());
        assertWithin("avgPool2d " + k, y, PoolRef.avgPool2d(xd, n, c, h, w, k.kh(), k.kw(), k.sh(), k.sw()), k.kh() * k.kw() + 1, mean);

        float[] dy = gaussian(r, y.length), dx = new float[k.x().length];
        Pool.avgPool2dBackward(dy, n, c, h, w, k.kh(), k.kw(), k.sh(), k.sw(), dx);
        double[] share = PoolRef.avgPool2dBackward(toDouble(abs(dy)), n, c, h, w, k.kh(), k.kw(), k.sh(), k.sw());
        int maxWindows = Math.ceilDiv(k.kh(), k.sh()) * Math.ceilDiv(k.kw(), k.sw());
        assertWithin("avgPool2dBackward " + k, dx, PoolRef.avgPool2dBackward(toDouble(dy), n, c, h, w, k.kh(), k.kw(), k.sh(), k.sw()),
                maxWindows + 1, share);

        float[] g = new float[k.planes()];
        Pool.globalAvgPool(k.x(), n, c, h, w, g);
        assertWithin("globalAvgPool " + k, g, PoolRef.globalAvgPool(xd, n, c, h, w), Math.ceilDiv(hw, 16) + 5,
                PoolRef.globalAvgPool(toDouble(abs(k.x())), n, c, h, w));

        float[] gdy = gaussian(r, k.planes()), gdx = new float[k.x().length];
        Pool.globalAvgPoolBackward(gdy, n, c, h, w, gdx);
        assertWithin("globalAvgPoolBackward " + k, gdx, PoolRef.globalAvgPoolBackward(toDouble(gdy), n, c, h, w), 1,
                PoolRef.globalAvgPoolBackward(toDouble(abs(gdy)), n, c, h, w));

        float[] m = new float[k.planes()];
        int[] idx = new int[k.planes()];
        Pool.globalMaxPool(k.x(), n, c, h, w, m, idx);
        assertArrayEquals(PoolRef.globalArgmax(xd, n, c, h, w), idx, "argmax " + k);
        assertWithin("globalMaxPool " + k, m, PoolRef.globalMaxPool(xd, n, c, h, w), 0, new double[m.length]);
        float[] mdx = new float[k.x().length];
        Pool.globalMaxPoolBackward(gdy, idx, n, c, h, w, mdx);
        assertWithin("globalMaxPoolBackward " + k, mdx, PoolRef.globalMaxPoolBackward(xd, toDouble(gdy), n, c, h, w), 0, new double[mdx.length]);
    }

    @Test
    void reproducesPyTorchFloat32Bits() {
        int checked = 0;
        for (var rec : TorchSpatialGolden.of("avgpool")) {
            int h = rec.intArg(0), w = rec.intArg(1), k = rec.intArg(2), s = rec.intArg(3);
            int n = rec.get(0).dims()[0], c = rec.get(0).dims()[1];
            float[] y = new float[rec.get(2).f().length], dx = new float[n * c * h * w];
            Pool.avgPool2d(rec.get(0).f(), n, c, h, w, k, k, s, s, y);
            Pool.avgPool2dBackward(rec.get(1).f(), n, c, h, w, k, k, s, s, dx);
            assertSameBits("avgPool2d " + rec.key(), y, rec.get(2).f());
            assertSameBits("avgPool2dBackward " + rec.key(), dx, rec.get(3).f());
            checked++;
        }
        for (var rec : TorchSpatialGolden.of("adaptive")) {
            int n = rec.get(0).dims()[0], c = rec.intArg(0), h = rec.intArg(1), w = rec.intArg(2);
            float[] x = rec.get(0).f(), dy = rec.get(1).f();
            // mean: PyTorch uses its own cascade sum, so the two agree within the sum of both error
            // bounds (PyTorch's taken as no larger than ours) rather than bit for bit
            float[] mean = new float[n * c];
            Pool.globalAvgPool(x, n, c, h, w, mean);
            double[] absMean = PoolRef.globalAvgPool(toDouble(abs(x)), n, c, h, w);
            assertWithin("globalAvgPool vs PyTorch " + rec.key(), mean, rec.get(4).d(), 2 * (Math.ceilDiv(h * w, 16) + 5), absMean);
            float[] dx = new float[x.length];
            Pool.globalAvgPoolBackward(dy, n, c, h, w, dx);
            assertSameBits("globalAvgPoolBackward " + rec.key(), dx, rec.get(3).f());
            float[] max = new float[n * c], mdx = new float[x.length];
            int[] idx = new int[n * c];
            Pool.globalMaxPool(x, n, c, h, w, max, idx);
            Pool.globalMaxPoolBackward(dy, idx, n, c, h, w, mdx);
            assertSameBits("globalMaxPool " + rec.key(), max, rec.get(6).f());
            for (int p = 0; p < n * c; p++) assertEquals(rec.get(7).q()[p], idx[p], "argmax " + rec.key() + " plane " + p);
            assertSameBits("globalMaxPoolBackward " + rec.key(), mdx, rec.get(8).f());
            checked++;
        }
        for (var rec : TorchSpatialGolden.of("adaptive_max_nan")) {
            int c = rec.intArg(0), h = rec.intArg(1), w = rec.intArg(2);
            float[] max = new float[c];
            int[] idx = new int[c];
            Pool.globalMaxPool(rec.get(0).f(), 1, c, h, w, max, idx);
            assertSameBits("NaN max", max, rec.get(1).f());
            for (int p = 0; p < c; p++) assertEquals(rec.get(2).q()[p], idx[p], "NaN argmax plane " + p);
            checked++;
        }
        assertTrue(checked >= 10, "golden cases " + checked);
    }

    @Test
    void maxGoesToTheFirstMaximumAndTheLastNaN() {
        float nan = Float.NaN;
        float[] x = {1, 5, 2, 5, /* plane 2 */ nan, 9, nan, 3, /* plane 3 */ -0f, 0f, -1, -2};
        float[] y = new float[3];
        int[] idx = new int[3];
        Pool.globalMaxPool(x, 1, 3, 2, 2, y, idx);
        assertArrayEquals(new int[]{1, 2, 0}, idx);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y[2]));
    }

    @Property(tries = 60)
    void vectorAndScalarPathsGiveIdenticalBits(@ForAll long seed) {
        Case k = Case.random(seed);
        float[] v = new float[k.planes()], s = new float[k.planes()];
        Pool.globalAvgPool(true, k.x(), k.n(), k.c(), k.h(), k.w(), v);
        Pool.globalAvgPool(false, k.x(), k.n(), k.c(), k.h(), k.w(), s);
        assertSameBits("globalAvgPool " + k, v, s);
    }

    @Property(tries = 30)
    void bitsDoNotDependOnThreadCount(@ForAll long seed) {
        Case k = Case.random(seed);
        java.util.function.Supplier<float[]> all = () -> {
            float[] y = new float[k.planes() * k.ho() * k.wo()], dx = new float[k.x().length], g = new float[k.planes()];
            Pool.avgPool2d(k.x(), k.n(), k.c(), k.h(), k.w(), k.kh(), k.kw(), k.sh(), k.sw(), y);
            Pool.avgPool2dBackward(y, k.n(), k.c(), k.h(), k.w(), k.kh(), k.kw(), k.sh(), k.sw(), dx);
            Pool.globalAvgPool(dx, k.n(), k.c(), k.h(), k.w(), g);
            float[] out = java.util.Arrays.copyOf(dx, dx.length + g.length);
            System.arraycopy(g, 0, out, dx.length, g.length);
            return out;
        };
        assertSameBits("pools " + k, withThreads(1, all), withThreads(3, all));
    }

    @Test
    void badArgumentsAreRejectedWithSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Pool.avgPool2d(new float[16], 1, 1, 4, 4, 5, 5, 1, 1, new float[1]));
        assertTrue(e.getMessage().contains("Pool.avgPool2d") && e.getMessage().contains("(1,1,4,4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pool.globalAvgPool(new float[15], 1, 1, 4, 4, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> Pool.globalMaxPool(new float[16], 1, 1, 4, 4, new float[1], new int[2]));
        assertThrows(IllegalArgumentException.class, () -> Pool.globalMaxPoolBackward(new float[1], new int[]{16}, 1, 1, 4, 4, new float[16]));
    }
}
