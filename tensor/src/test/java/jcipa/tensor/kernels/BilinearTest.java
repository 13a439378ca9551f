package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.SpatialTestData.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jcipa.tensor.ref.BilinearRef;
import jcipa.tensor.ref.TorchSpatialGolden;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BilinearTest {

    /** A random resampling problem: size or scale-factor mode, sizes 1, 3, 17 included. */
    record Case(int n, int c, int h, int w, boolean scaled, int ho, int wo, double sh, double sw, float[] x, float[] dy) {
        static Case random(long seed) {
            Random r = new Random(seed);
            int n = pick(r, 1, 2), c = pick(r, 1, 3, 5, 17, 19), h = pick(r, 1, 2, 3, 5, 17), w = pick(r, 1, 3, 4, 17, 33);
            boolean scaled = r.nextBoolean();
            int ho, wo; double sh = 0, sw = 0;
            if (scaled) {
                double[] pool = {0.3, 0.5, 1.0, 1.1, 1.7, 2.0, 3.3, 4.0, 8.0};
                do { sh = pool[r.nextInt(pool.length)]; } while (h * sh < 1);
                do { sw = pool[r.nextInt(pool.length)]; } while (w * sw < 1);
                ho = Bilinear.scaledSize(h, sh); wo = Bilinear.scaledSize(w, sw);
            } else {
                ho = pick(r, 1, 3, 4, 17, 40, 70); wo = pick(r, 1, 3, 17, 64, 90);
            }
            return new Case(n, c, h, w, scaled, ho, wo, sh, sw, gaussian(r, n * c * h * w), gaussian(r, n * c * ho * wo));
        }

        BilinearRef.Axis refRows() { return scaled ? BilinearRef.Axis.ofScale(h, sh) : BilinearRef.Axis.ofSize(h, ho); }
        BilinearRef.Axis refCols() { return scaled ? BilinearRef.Axis.ofScale(w, sw) : BilinearRef.Axis.ofSize(w, wo); }
        Bilinear.Axis rows() { return Bilinear.axis(h, ho, scaled ? (float) (1.0 / sh) : (float) h / (float) ho); }
        Bilinear.Axis cols() { return Bilinear.axis(w, wo, scaled ? (float) (1.0 / sw) : (float) w / (float) wo); }

        float[] forward() {
            float[] y = new float[n * c * ho * wo];
            if (scaled) Bilinear.forwardScaled(x, n, c, h, w, sh, sw, y); else Bilinear.forward(x, n, c, h, w, y, ho, wo);
            return y;
        }

        float[] backward() {
            float[] dx = new float[n * c * h * w];
            if (scaled) Bilinear.backwardScaled(dy, n, c, h, w, sh, sw, dx); else Bilinear.backward(dy, n, c, h, w, ho, wo, dx);
            return dx;
        }

        @Override public String toString() {
            return "(" + n + "," + c + "," + h + "," + w + ") -> " + (scaled ? "scale " + sh + "," + sw + " = " : "") + "(" + ho + "," + wo + ")";
        }
    }

    @Property(tries = 150)
    void matchesReferenceWithinDocumentedBounds(@ForAll long seed) {
        Case k = Case.random(seed);
        float[] y = k.forward(), dx = k.backward();
        var rows = k.refRows(); var cols = k.refCols();
        double[] yRef = BilinearRef.forward(toDouble(k.x()), k.n(), k.c(), rows, cols);
        double[] yMag = new double[yRef.length];
        java.util.Arrays.fill(yMag, maxAbs(k.x()));
        assertWithin("forward " + k, y, yRef, 4.0 * (k.h() + k.w()) + 16, yMag);

        double[] dxRef = BilinearRef.backward(toDouble(k.dy()), k.n(), k.c(), rows, cols);
        // Σ|dy| and the count over outputs whose cell, widened by one input on each side, holds the element.
        double[] sum = new double[dxRef.length], count = new double[dxRef.length];
        int h = k.h(), w = k.w();
        for (int p = 0; p < k.n() * k.c(); p++)
            for (int oy = 0; oy < k.ho(); oy++)
                for (int ox = 0; ox < k.wo(); ox++) {
                    double g = Math.abs(k.dy()[(p * k.ho() + oy) * k.wo() + ox]);
                    for (int iy = Math.max(0, rows.i0()[oy] - 1); iy <= Math.min(h - 1, rows.i1()[oy] + 1); iy++)
                        for (int ix = Math.max(0, cols.i0()[ox] - 1); ix <= Math.min(w - 1, cols.i1()[ox] + 1); ix++) {
                            sum[(p * h + iy) * w + ix] += g;
                            count[(p * h + iy) * w + ix]++;
                        }
                }
        double[] mag = new double[dxRef.length];
        for (int i = 0; i < mag.length; i++) mag[i] = (4.0 * (h + w) + 16 + count[i]) * sum[i];
        assertWithin("backward " + k, dx, dxRef, 1.0, mag);
    }

    @Test
    void reproducesPyTorchFloat32Bits() {
        int checked = 0;
        for (var rec : TorchSpatialGolden.load()) {
            if (!rec.op().startsWith("bilinear")) continue;
            int n = rec.get(0).dims()[0], c = rec.get(0).dims()[1], h = rec.get(0).dims()[2], w = rec.get(0).dims()[3];
            int ho = rec.get(1).dims()[2], wo = rec.get(1).dims()[3];
            float[] x = rec.get(0).f(), dy = rec.get(1).f(), y = new float[n * c * ho * wo], dx = new float[n * c * h * w];
            if (rec.op().equals("bilinear_size")) {
                Bilinear.forward(x, n, c, h, w, y, ho, wo);
                Bilinear.backward(dy, n, c, h, w, ho, wo, dx);
            } else {
                double sh = rec.doubleArg(2), sw = rec.doubleArg(3);
                assertEquals(ho, Bilinear.scaledSize(h, sh));
                assertEquals(wo, Bilinear.scaledSize(w, sw));
                Bilinear.forwardScaled(x, n, c, h, w, sh, sw, y);
                Bilinear.backwardScaled(dy, n, c, h, w, sh, sw, dx);
            }
            assertSameBits("forward " + rec.key() + " C=" + c, y, rec.get(2).f());
            assertSameBits("backward " + rec.key() + " C=" + c, dx, rec.get(3).f());
            checked++;
        }
        assertTrue(checked >= 20, "golden cases " + checked);
    }

    @Property(tries = 60)
    void vectorAndScalarPathsGiveIdenticalBits(@ForAll long seed) {
        Case k = Case.random(seed);
        float[] v = new float[k.n() * k.c() * k.ho() * k.wo()], s = new float[v.length];
        Bilinear.forward(true, k.x(), k.n(), k.c(), k.h(), k.w(), v, k.rows(), k.cols());
        Bilinear.forward(false, k.x(), k.n(), k.c(), k.h(), k.w(), s, k.rows(), k.cols());
        assertSameBits("forward " + k, v, s);
    }

    @Property(tries = 40)
    void bitsDoNotDependOnThreadCount(@ForAll long seed) {
        Case k = Case.random(seed);
        assertSameBits("forward " + k, withThreads(1, k::forward), withThreads(3, k::forward));
        assertSameBits("backward " + k, withThreads(1, k::backward), withThreads(3, k::backward));
    }

    @Test
    void sameSizeAndUnitScaleAreIdentity() {
        float[] x = gaussian(new Random(5), 2 * 3 * 17 * 9), y = new float[x.length], z = new float[x.length];
        Bilinear.forward(x, 2, 3, 17, 9, y, 17, 9);
        Bilinear.forwardScaled(x, 2, 3, 17, 9, 1.0, 1.0, z);
        assertSameBits("size", x, y);
        assertSameBits("scale", x, z);
        Bilinear.backward(x, 2, 3, 17, 9, 17, 9, y);
        assertSameBits("backward", x, y);
    }

    @Test
    void scaledSizeIsTheFloorOfTheDoubleProduct() {
        assertEquals(9, Bilinear.scaledSize(33, 0.3));
        assertEquals(17, Bilinear.scaledSize(10, 1.7));
        assertEquals(512, Bilinear.scaledSize(128, 4.0));
        assertThrows(IllegalArgumentException.class, () -> Bilinear.scaledSize(3, 0.3));
    }

    @Test
    void badArgumentsAreRejectedWithSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Bilinear.forward(new float[10], 1, 1, 3, 4, new float[4], 2, 2));
        assertTrue(e.getMessage().contains("Bilinear.forward") && e.getMessage().contains("(1,1,3,4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bilinear.backward(new float[4], 1, 1, 3, 4, 2, 2, new float[11]));
        assertThrows(IllegalArgumentException.class, () -> Bilinear.forward(new float[0], 0, 1, 3, 4, new float[0], 2, 2));
    }
}
