package jcipa.tensor.kernels;

import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The im2col-free dense 3×3 forward against the im2col path on the scalar kernels: the same bits for
 * any channel counts (including output channels past a multiple of 8, and fewer than 8), map sizes (rows shorter and
 * longer than a tile) and blocks of taps.
 */
class DirectConv3x3Test {

    @Property(tries = 60)
    void sameBitsAsTheIm2colPath(@ForAll @IntRange(min = 1, max = 2) int n,
                                 @ForAll @IntRange(min = 8, max = 40) int cIn,
                                 @ForAll @IntRange(min = 1, max = 27) int cOut,
                                 @ForAll @IntRange(min = 1, max = 9) int h,
                                 @ForAll @IntRange(min = 1, max = 70) int w,
                                 @ForAll boolean bias, @ForAll long seed) {
        ConvShape s = new ConvShape(n, cIn, h, w, cOut, 3, 3, 1, 1, 1, 1, 1);
        Assume.that(DirectConv3x3.applies(s));                            // 16-lane machines (CI's and this project's)
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * cIn * h * w], wt = new float[cOut * cIn * 9], b = bias ? new float[cOut] : null;
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        for (int i = 0; i < wt.length; i++) wt[i] = (float) (2 * r.nextDouble() - 1);
        if (b != null) for (int i = 0; i < cOut; i++) b[i] = (float) (2 * r.nextDouble() - 1);
        float[] expected = new float[n * cOut * h * w], y = new float[expected.length];
        Conv2d.forwardGeneral(false, s, x, wt, b, expected);
        boolean noNaN = DirectConv3x3.forward(s, x, wt, b, y);
        for (int i = 0; i < y.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(y[i]))
                throw new AssertionError("element " + i + " of " + s + ": " + expected[i] + " vs " + y[i]);
        if (noNaN != !Simd.hasNaN(expected, 0, expected.length)) throw new AssertionError("says no NaN: " + noNaN + " for " + s);
    }

    /**
     * The kernel says whether its output holds a NaN (the op then skips its own pass): a NaN input in the first or
     * the last band, a NaN bias, an infinite weight (inf·0 under a padded tap on the border) all give false.
     */
    @org.junit.jupiter.api.Test
    void saysWhetherTheOutputHoldsNaN() {
        ConvShape s = new ConvShape(1, 8, 40, 30, 9, 3, 3, 1, 1, 1, 1, 1);
        float[] y = new float[9 * 40 * 30];
        for (int at : new int[] {-1, 0, 8 * 40 * 30 - 1, 3 * 40 * 30 + 17 * 30 + 29}) {
            float[] x = new float[8 * 40 * 30], w = new float[9 * 8 * 9];
            java.util.Arrays.fill(x, 0.5f);
            java.util.Arrays.fill(w, 0.25f);
            if (at >= 0) x[at] = Float.NaN;
            org.junit.jupiter.api.Assertions.assertEquals(at < 0, DirectConv3x3.forward(s, x, w, null, y), "NaN at " + at);
            float[] b = new float[9];
            b[8] = Float.NaN;
            org.junit.jupiter.api.Assertions.assertFalse(DirectConv3x3.forward(s, x, w, b, y), "NaN bias");
            w[0] = Float.POSITIVE_INFINITY;
            org.junit.jupiter.api.Assertions.assertFalse(DirectConv3x3.forward(s, x, w, null, y), "infinite weight");
        }
    }

    /**
     * Map sizes whose padded grid (h·(w+2) positions) ends just past a tile, on a tile, or in one, so the
     * last tile reads to the end of the padded copy; and CIPA's 32×32 and 64×64 maps.
     */
    @org.junit.jupiter.api.Test
    void tileEdges() {
        int[][] sizes = {{1, 47}, {7, 5}, {1, 46}, {2, 22}, {3, 14}, {32, 32}, {64, 64}, {1, 1}, {5, 1}};
        for (int[] hw : sizes) sameBitsAsTheIm2colPath(1, 9, 11, hw[0], hw[1], true, hw[0] * 131L + hw[1]);
    }

    /** The padded copy is kept between calls (Scratch): calls of one shape in a row each give their own bits (its zero border holds). */
    @org.junit.jupiter.api.Test
    void callsOfOneShapeInARow() {
        for (long seed = 1; seed <= 3; seed++) sameBitsAsTheIm2colPath(2, 12, 9, 6, 13, seed % 2 == 0, seed);
    }

    /** CIPA's 6- and 12-channel outputs (a block of fewer than 8 rows alone or after full ones), one and many tap blocks. */
    @org.junit.jupiter.api.Test
    void fewOutputChannels() {
        for (int cOut : new int[] {1, 6, 12}) {
            sameBitsAsTheIm2colPath(1, 16, cOut, 9, 33, true, cOut);
            sameBitsAsTheIm2colPath(2, 40, cOut, 4, 50, false, 7L * cOut);
        }
    }

    /**
     * Maps large enough for bands of several rows (whose last tile runs past the band; an image's last band may be
     * shorter), with one and several tap blocks, one and two images.
     */
    @Property(tries = 12)
    void bandsOfManyTiles(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 8, max = 72) int cIn,
                          @ForAll @IntRange(min = 1, max = 20) int cOut, @ForAll @IntRange(min = 10, max = 40) int h,
                          @ForAll @IntRange(min = 20, max = 140) int w, @ForAll long seed) {
        Assume.that(DirectConv3x3.bandRows(cIn, (cOut + 7) / 8 * 8, h, w + 2, 2) > 1);
        sameBitsAsTheIm2colPath(n, cIn, cOut, h, w, true, seed);
    }

    /** 128-wide rows as in CIPA's decoder at 512×512 input, fewer channels: bands of 4 rows; of 34 rows, two bands of 17. */
    @org.junit.jupiter.api.Test
    void bandsOfAWideMap() {
        org.junit.jupiter.api.Assertions.assertEquals(4, DirectConv3x3.bandRows(32, 16, 32, 130, 2));
        org.junit.jupiter.api.Assertions.assertEquals(17, DirectConv3x3.bandRows(40, 16, 34, 130, 2));
        sameBitsAsTheIm2colPath(1, 32, 9, 32, 128, true, 5);
        sameBitsAsTheIm2colPath(1, 40, 16, 34, 128, false, 6);
    }

    /**
     * Maps of 32 bands or more, where a task takes two bands and the second keeps the first's last two window rows
     * (bands of 1 row, where the rows kept overlap the rows they move to; of 2, 3 and 4 rows; an image's last task of
     * one band, which for 94 rows is short). On 2 threads, for which these band sizes are chosen.
     */
    @org.junit.jupiter.api.Test
    void tasksOfTwoBands() {
        int[][] shapes = {{65, 46, 1}, {66, 22, 2}, {94, 30, 3}, {128, 10, 4}};
        int threads = jcipa.tensor.parallel.Parallel.threads();
        jcipa.tensor.parallel.Parallel.setThreads(2);
        try {
            for (int[] hw : shapes) {
                org.junit.jupiter.api.Assertions.assertEquals(hw[2], DirectConv3x3.bandRows(9, 16, hw[0], hw[1] + 2, 2));
                sameBitsAsTheIm2colPath(hw[0] == 66 ? 2 : 1, 9, 11, hw[0], hw[1], true, hw[0]);
            }
        } finally {
            jcipa.tensor.parallel.Parallel.setThreads(threads);
        }
    }

    /** More taps than one block (cIn·9 > TAP_BLOCK), so accumulators are stored and reloaded between blocks. */
    @Property(tries = 5)
    void manyTapsAcrossBlocks(@ForAll @IntRange(min = 33, max = 96) int cIn, @ForAll long seed) {
        sameBitsAsTheIm2colPath(1, cIn, 16, 5, 20, true, seed);
    }
}
