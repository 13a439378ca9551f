package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * AUDIT.md entry 14: the official training augmentations are a shift–scale warp, a horizontal
 * flip and a resized square crop, in that order, each with probability ½ — nothing else. Each
 * test fails if the augmentation is "fixed" towards a richer or reordered pipeline.
 */
class AugmentationAuditTest {
    private static final int SIDE = 64;

    /** A sample whose three images differ, so channel mix-ups show. */
    private static Sample sample(long seed) {
        return AugmentationTest.sample(SIDE, seed);
    }

    /** The result is exactly warp, then flip, then crop-and-resize, composed by hand from the primitives. */
    @Test
    void exactlyWarpThenFlipThenCrop() {
        Sample s = sample(1);
        for (long seed = 0; seed < 60; seed++) {
            var d = Augmentation.draw(seed, SIDE, SIDE);
            Sample got = Augmentation.apply(s, seed);
            for (U8Image[] pair : new U8Image[][] {{s.ct(), got.ct()}, {s.pet(), got.pet()}, {s.mask(), got.mask()}}) {
                byte[] x = pair[0].pixels();
                if (d.warp()) x = WarpLinear.warp(x, SIDE, SIDE, 1, Augmentation.warpMatrix(d, SIDE, SIDE));
                if (d.flip()) x = Flip.horizontal(x, SIDE, SIDE, 1);
                if (d.crop()) {
                    int n = d.cropSide();
                    byte[] cut = new byte[n * n];
                    for (int r = 0; r < n; r++) System.arraycopy(x, (d.cropY() + r) * SIDE + d.cropX(), cut, r * n, n);
                    x = CubicResize.resize(cut, n, n, 1, SIDE, SIDE);
                }
                assertArrayEquals(x, pair[1].pixels(), "seed " + seed + " " + d);
            }
        }
    }

    /** Each of the three happens with probability ½, independently (4000 draws: 0.5 ± 0.03, joint ⅛ ± 0.025). */
    @Test
    void eachAugmentationHasProbabilityOneHalf() {
        int n = 4000, warp = 0, flip = 0, crop = 0, all = 0;
        for (long seed = 0; seed < n; seed++) {
            var d = Augmentation.draw(seed, 512, 512);
            warp += d.warp() ? 1 : 0;
            flip += d.flip() ? 1 : 0;
            crop += d.crop() ? 1 : 0;
            all += d.warp() && d.flip() && d.crop() ? 1 : 0;
        }
        assertEquals(0.5, warp / (double) n, 0.03, "warp");
        assertEquals(0.5, flip / (double) n, 0.03, "flip");
        assertEquals(0.5, crop / (double) n, 0.03, "crop");
        assertEquals(0.125, all / (double) n, 0.025, "all three");
        assertEquals(0.5, Augmentation.P_WARP);
        assertEquals(0.5, Augmentation.P_FLIP);
        assertEquals(0.5, Augmentation.P_CROP);
    }

    /**
     * The warp never rotates or shears: its homography is a scale s ∈ [0.9·√0.9, 1.1·√1.1] on both
     * axes about the centre plus a shift of at most 10 % of the side (the official code's rotation
     * limit is 0° and its rotation matrix uses the x factor on both axes).
     */
    @Test
    void warpIsAnIsotropicScaleAndShiftWithoutRotation() {
        for (long seed = 0; seed < 300; seed++) {
            var d = Augmentation.draw(seed, 512, 512);
            if (!d.warp()) continue;
            double[] m = Augmentation.warpMatrix(d, 512, 512);
            double s = d.warpScale();
            assertTrue(s >= 0.9 * Math.sqrt(0.9) && s <= 1.1 * Math.sqrt(1.1), "scale " + s);
            assertEquals(s, m[0], 1e-6);
            assertEquals(s, m[4], 1e-6);
            assertEquals(0, m[1], 1e-9);
            assertEquals(0, m[3], 1e-9);
            assertEquals(0, m[6], 1e-9);
            assertEquals(0, m[7], 1e-9);
            assertEquals(256 * (1 - s) + d.dx(), m[2], 1e-3);
            assertEquals(256 * (1 - s) + d.dy(), m[5], 1e-3);
            assertTrue(Math.abs(d.dx()) <= 51 && Math.abs(d.dy()) <= 51);
        }
    }

    /**
     * No vertical flip, no rotation: an image bright at the top stays bright at the top under
     * every draw (shifts are at most 10 % and crops keep at least 70 %), while the horizontal flip
     * does swap a left-bright image about half the time.
     */
    @Test
    void neverFlipsVerticallyOrRotates() {
        byte[] top = new byte[SIDE * SIDE], left = new byte[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++)
            for (int x = 0; x < SIDE; x++) {
                top[y * SIDE + x] = (byte) (y < SIDE / 2 ? 200 : 20);
                left[y * SIDE + x] = (byte) (x < SIDE / 2 ? 200 : 20);
            }
        U8Image t = new U8Image(SIDE, SIDE, top), l = new U8Image(SIDE, SIDE, left);
        Sample s = new Sample("x_1", t, l, null);
        int swapped = 0;
        for (long seed = 0; seed < 200; seed++) {
            Sample a = Augmentation.apply(s, seed);
            assertTrue(mean(a.ct(), 0, SIDE / 4) > mean(a.ct(), 3 * SIDE / 4, SIDE), "seed " + seed + ": top no longer brighter");
            if (meanCols(a.pet(), 0, SIDE / 4) < meanCols(a.pet(), 3 * SIDE / 4, SIDE)) swapped++;
            assertEquals(Augmentation.draw(seed, SIDE, SIDE).flip(), meanCols(a.pet(), 0, SIDE / 4) < meanCols(a.pet(), 3 * SIDE / 4, SIDE));
        }
        assertTrue(swapped > 70 && swapped < 130, swapped + " of 200 mirrored");
    }

    /**
     * No intensity change: with the geometric draws off the slice comes back bit for bit, a flip
     * alone keeps every value (same histogram), and a uniform image stays uniform inside the frame
     * under every draw (only the black border of a shrinking warp may appear).
     */
    @Test
    void neverChangesIntensity() {
        Sample s = sample(2);
        var none = new Augmentation.Draw(false, 1, 1, 0, 0, false, 0.8, false, 0, 0, (int) (SIDE * 0.8));
        Sample same = Augmentation.apply(s, none);
        assertArrayEquals(s.ct().pixels(), same.ct().pixels());
        assertArrayEquals(s.pet().pixels(), same.pet().pixels());
        var flipOnly = new Augmentation.Draw(false, 1, 1, 0, 0, true, 0.8, false, 0, 0, (int) (SIDE * 0.8));
        assertArrayEquals(histogram(s.ct()), histogram(Augmentation.apply(s, flipOnly).ct()));
        byte[] flat = new byte[SIDE * SIDE];
        java.util.Arrays.fill(flat, (byte) 137);
        U8Image f = new U8Image(SIDE, SIDE, flat);
        for (long seed = 0; seed < 100; seed++) {
            var d = Augmentation.draw(seed, SIDE, SIDE);
            Sample a = Augmentation.apply(new Sample("f_1", f, f, f), seed);
            int centre = a.ct().get(SIDE / 2, SIDE / 2);
            assertEquals(137, centre, "seed " + seed);
            if (!d.warp()) for (byte b : a.ct().pixels()) assertEquals(137, b & 0xff, "seed " + seed + " " + d);
        }
    }

    /** The crop is a square of ⌊0.7·h⌋ … ⌊0.9·h⌋ pixels, resized bicubically back to the full size. */
    @Test
    void cropIsASquareOfSeventyToNinetyPercentResizedBicubically() {
        SplittableRandom r = new SplittableRandom(5);
        U8Image img = TestSets.smooth(SIDE, SIDE, r);
        int min = Integer.MAX_VALUE, max = 0;
        for (long seed = 0; seed < 500; seed++) {
            var d = Augmentation.draw(seed, SIDE, SIDE);
            min = Math.min(min, d.cropSide());
            max = Math.max(max, d.cropSide());
            if (!d.crop() || seed > 50) continue;
            var cropOnly = new Augmentation.Draw(false, 1, 1, 0, 0, false, d.cropRate(), true, d.cropX(), d.cropY(), d.cropSide());
            byte[] got = Augmentation.apply(new Sample("c_1", img, img, null), cropOnly).ct().pixels();
            int n = d.cropSide();
            for (int y = 0; y < SIDE; y += 7)
                for (int x = 0; x < SIDE; x += 5) {
                    // an independent float64 bicubic of the cut square
                    byte[] cut = new byte[n * n];
                    for (int k = 0; k < n; k++) System.arraycopy(img.pixels(), (d.cropY() + k) * SIDE + d.cropX(), cut, k * n, n);
                    int want = CubicResizeTest.reference(cut, n, n, 1, SIDE, SIDE, x, y, 0);
                    assertTrue(Math.abs((got[y * SIDE + x] & 0xff) - want) <= 1);
                }
        }
        assertEquals((int) (SIDE * 0.7), min, 1);
        assertEquals((int) (SIDE * 0.9), max, 1);
    }

    /**
     * The mask goes through the same geometry and interpolation as the images (bicubic included)
     * and is thresholded only afterwards, at u8/255 ≥ 0.5.
     */
    @Test
    void maskIsInterpolatedLikeTheImagesAndThresholdedAfterwards() {
        U8Image img = TestSets.smooth(SIDE, SIDE, new SplittableRandom(6));
        for (long seed = 0; seed < 40; seed++) {
            Sample a = Augmentation.apply(new Sample("m_1", img, img, img), seed);
            assertArrayEquals(a.ct().pixels(), a.mask().pixels(), "seed " + seed);
        }
        assertEquals(0f, Preprocess.mask(127));
        assertEquals(1f, Preprocess.mask(128));
    }

    private static double mean(U8Image m, int y0, int y1) {
        double s = 0;
        for (int y = y0; y < y1; y++) for (int x = 0; x < m.width(); x++) s += m.get(x, y);
        return s / ((y1 - y0) * m.width());
    }

    private static double meanCols(U8Image m, int x0, int x1) {
        double s = 0;
        for (int y = 0; y < m.height(); y++) for (int x = x0; x < x1; x++) s += m.get(x, y);
        return s / ((x1 - x0) * m.height());
    }

    private static int[] histogram(U8Image m) {
        int[] h = new int[256];
        for (byte b : m.pixels()) h[b & 0xff]++;
        return h;
    }
}
