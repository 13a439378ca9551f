package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Flip, perspective warp and the homography against straightforward float64 references. */
class GeometryTest {
    @Property(tries = 50)
    void flipMirrorsColumnsAndKeepsChannelsTogether(@ForAll @IntRange(min = 1, max = 17) int w, @ForAll @IntRange(min = 1, max = 9) int h,
            @ForAll @IntRange(min = 1, max = 3) int cn, @ForAll long seed) {
        byte[] src = bytes(w * h * cn, seed);
        byte[] f = Flip.horizontal(src, w, h, cn);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < cn; c++) assertEquals(src[(y * w + x) * cn + c], f[(y * w + (w - 1 - x)) * cn + c]);
        assertArrayEquals(src, Flip.horizontal(f, w, h, cn));
    }

    @Property(tries = 30)
    void warpByTheIdentityIsTheIdentity(@ForAll @IntRange(min = 1, max = 70) int w, @ForAll @IntRange(min = 1, max = 40) int h,
            @ForAll @IntRange(min = 1, max = 2) int cn, @ForAll long seed) {
        byte[] src = bytes(w * h * cn, seed);
        assertArrayEquals(src, WarpLinear.warp(src, w, h, cn, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}));
    }

    /** The official warp with scale 1 and no shift: the homography of the unmoved corners, and the image unchanged. */
    @Property(tries = 20)
    void officialWarpWithIdentityParametersIsTheIdentity(@ForAll @IntRange(min = 2, max = 80) int side, @ForAll long seed) {
        var d = new Augmentation.Draw(true, 1, 1, 0, 0, false, 0.8, false, 0, 0, (int) (side * 0.8));
        double[] m = Augmentation.warpMatrix(d, side, side);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, m, 1e-12);
        byte[] src = bytes(side * side * 2, seed);
        assertArrayEquals(src, WarpLinear.warp(src, side, side, 2, m));
    }

    /** A whole-pixel shift moves pixels and fills what comes in from outside with black. */
    @Property(tries = 30)
    void integerShiftMovesPixelsAndFillsBlack(@ForAll @IntRange(min = 1, max = 30) int w, @ForAll @IntRange(min = 1, max = 30) int h,
            @ForAll @IntRange(min = -8, max = 8) int tx, @ForAll @IntRange(min = -8, max = 8) int ty, @ForAll long seed) {
        byte[] src = bytes(w * h, seed);
        byte[] out = WarpLinear.warp(src, w, h, 1, new double[] {1, 0, tx, 0, 1, ty, 0, 0, 1});
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sx = x - tx, sy = y - ty;
                int want = sx >= 0 && sx < w && sy >= 0 && sy < h ? src[sy * w + sx] & 0xff : 0;
                assertEquals(want, out[y * w + x] & 0xff, "(" + x + ", " + y + ")");
            }
    }

    /**
     * Scale–shift warps of smooth images against bilinear sampling at the exact float64 position
     * (black outside): OpenCV rounds the position to 1/32 pixel, so a pixel may differ by the
     * image's change over 1/64 pixel plus the final rounding.
     */
    @Property(tries = 25)
    void warpMatchesExactBilinearSampling(@ForAll @IntRange(min = 8, max = 70) int side, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        U8Image img = TestSets.smooth(side, side, r);
        double s = r.nextDouble(0.8, 1.2), dx = r.nextInt(-side / 10, side / 10 + 1), dy = r.nextInt(-side / 10, side / 10 + 1);
        double c = side / 2.0;
        double[] m = {s, 0, c - c * s + dx, 0, s, c - c * s + dy, 0, 0, 1};
        byte[] out = WarpLinear.warp(img.pixels(), side, side, 1, m);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                double px = (x - m[2]) / s, py = (y - m[5]) / s;
                double want = bilinear(img, px, py);
                double slope = slope(img, px, py);
                int got = out[y * side + x] & 0xff;
                assertTrue(Math.abs(got - want) <= 0.5 + slope / 64 + 1e-9, "(" + x + ", " + y + ") got " + got + " want " + want + " slope " + slope);
                assertEquals(onGrid(img, px, py), got, "(" + x + ", " + y + ") against sampling at the position rounded to 1/32");
            }
    }

    /** Bilinear sampling at the position rounded to the nearest 1/32 pixel, rounded half up: what OpenCV computes. */
    private static int onGrid(U8Image img, double x, double y) {
        double qx = Math.rint(x * 32) / 32, qy = Math.rint(y * 32) / 32;
        return (int) Math.floor(bilinear(img, qx, qy) + 0.5);
    }

    @Property(tries = 50)
    void homographyMapsTheFourPoints(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] from = {0, 0, 512, 0, 512, 512, 0, 512}, to = new float[8];
        for (int i = 0; i < 8; i++) to[i] = from[i] + (float) r.nextDouble(-60, 60);
        double[] m = PerspectiveTransform.between(from, to);
        for (int i = 0; i < 4; i++) {
            double x = from[2 * i], y = from[2 * i + 1], w = m[6] * x + m[7] * y + m[8];
            assertEquals(to[2 * i], (m[0] * x + m[1] * y + m[2]) / w, 1e-9);
            assertEquals(to[2 * i + 1], (m[3] * x + m[4] * y + m[5]) / w, 1e-9);
        }
        double[] inv = PerspectiveTransform.invert(m);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double e = 0;
                for (int k = 0; k < 3; k++) e += m[3 * i + k] * inv[3 * k + j];
                assertEquals(i == j ? 1 : 0, e, 1e-12);
            }
    }

    private static double bilinear(U8Image img, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        return (1 - fy) * ((1 - fx) * at(img, x0, y0) + fx * at(img, x0 + 1, y0)) + fy * ((1 - fx) * at(img, x0, y0 + 1) + fx * at(img, x0 + 1, y0 + 1));
    }

    /** The largest difference between neighbours of the 2×2 cell around (x, y): bounds the change over a sub-pixel move. */
    private static double slope(U8Image img, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double max = 0;
        int[] v = {at(img, x0, y0), at(img, x0 + 1, y0), at(img, x0, y0 + 1), at(img, x0 + 1, y0 + 1)};
        for (int a : v) for (int b : v) max = Math.max(max, Math.abs(a - b));
        return max * 2;
    }

    private static int at(U8Image img, int x, int y) {
        return x < 0 || y < 0 || x >= img.width() || y >= img.height() ? 0 : img.get(x, y);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }
}
