package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The channels-last depthwise 3×3 forward (SS2D's conv at inference, reading its channel slice of
 * in_proj's output in place) against the channels-first kernel on the permuted map: the same bits, on
 * the vector and scalar paths, for any channel count, map size and pixel stride, with or without the
 * SiLU that SS2D applies after it.
 */
class DepthwiseChannelsLastTest {

    @Property(tries = 80)
    void sameBitsAsTheChannelsFirstKernel(@ForAll @IntRange(min = 1, max = 2) int n,
                                          @ForAll @IntRange(min = 1, max = 9) int h,
                                          @ForAll @IntRange(min = 1, max = 21) int w,
                                          @ForAll @IntRange(min = 1, max = 150) int c,       // past 4 vectors of 16 lanes (the four-chain path) and its remainders
                                          @ForAll @IntRange(min = 0, max = 19) int extra,
                                          @ForAll boolean bias, @ForAll boolean silu, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int stride = c + extra, off = extra > 0 ? r.nextInt(extra + 1) : 0;
        float[] wide = new float[n * h * w * stride];
        for (int i = 0; i < wide.length; i++) wide[i] = (float) (2 * r.nextDouble() - 1);
        float[] weight = new float[c * 9], b = bias ? new float[c] : null;
        for (int i = 0; i < weight.length; i++) weight[i] = (float) (2 * r.nextDouble() - 1);
        if (b != null) for (int i = 0; i < c; i++) b[i] = (float) (2 * r.nextDouble() - 1);
        float[] planes = new float[n * c * h * w];                       // the channel slice, channels-first
        for (int img = 0; img < n; img++)
            for (int p = 0; p < h * w; p++)
                for (int ch = 0; ch < c; ch++) planes[(img * c + ch) * h * w + p] = wide[(img * h * w + p) * stride + off + ch];
        ConvShape s = new ConvShape(n, c, h, w, c, 3, 3, 1, 1, 1, 1, c);
        float[] expected = new float[n * c * h * w];
        Conv2d.forward(false, s, planes, weight, b, expected);
        if (silu) for (int i = 0; i < expected.length; i++) expected[i] = Unary.SILU.f32(expected[i]);   // the SiLU op's bits
        for (boolean vector : new boolean[] {true, false}) {
            float[] y = new float[n * h * w * c];
            boolean noNaN = DepthwiseConv3x3.forwardChannelsLast(vector, n, h, w, c, wide, off, stride, weight, b, silu, y);
            if (!noNaN) throw new AssertionError("finite inputs, yet the kernel says its output holds NaN");
            for (int img = 0; img < n; img++)
                for (int p = 0; p < h * w; p++)
                    for (int ch = 0; ch < c; ch++) {
                        float e = expected[(img * c + ch) * h * w + p], a = y[(img * h * w + p) * c + ch];
                        if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a))
                            throw new AssertionError((vector ? "vector" : "scalar") + " path: image " + img + " pixel " + p + " channel " + ch + ": " + e + " vs " + a);
                    }
        }
        assertThrows(IllegalArgumentException.class, () -> DepthwiseConv3x3.forwardChannelsLast(n, h, w, c, wide, off, c - 1 + 0 * stride,
                weight, b, silu, new float[n * h * w * c]));
    }

    /**
     * The channels-last backward (dx by the flipped taps, dw and db by per-row sums added in row order) against the
     * float64 sums of the chain rule: each element within the float32 bound of its sum, 2·(terms + 1)·2⁻²⁴·Σ|term|
     * (a sum of mixed signs can be far smaller than its terms); the vector and scalar paths
     * and 1 and 3 threads give the same bits; x read as a channel slice of a wider map.
     */
    /** The kernel says whether its output holds a NaN (the op then skips its own pass): a NaN input in the last row or a NaN bias. */
    @org.junit.jupiter.api.Test
    void saysWhetherTheOutputHoldsNaN() {
        int n = 2, h = 5, w = 7, c = 19;
        float[] x = new float[n * h * w * c], weight = new float[9 * c], y = new float[x.length];
        java.util.Arrays.fill(weight, 0.5f);
        for (boolean vector : new boolean[] {true, false}) {
            org.junit.jupiter.api.Assertions.assertTrue(DepthwiseConv3x3.forwardChannelsLast(vector, n, h, w, c, x, 0, c, weight, null, true, y));
            x[x.length - 1] = Float.NaN;                                   // the last channel (past the vectors) of the last pixel
            org.junit.jupiter.api.Assertions.assertFalse(DepthwiseConv3x3.forwardChannelsLast(vector, n, h, w, c, x, 0, c, weight, null, false, y));
            x[x.length - 1] = 0;
            float[] b = new float[c];
            b[3] = Float.NaN;
            org.junit.jupiter.api.Assertions.assertFalse(DepthwiseConv3x3.forwardChannelsLast(vector, n, h, w, c, x, 0, c, weight, b, true, y));
        }
    }

    @Property(tries = 60)
    void backwardMatchesTheFloat64SumsWithTheScalarPathsBits(@ForAll @IntRange(min = 1, max = 2) int n,
                                                             @ForAll @IntRange(min = 1, max = 9) int h,
                                                             @ForAll @IntRange(min = 1, max = 21) int w,
                                                             @ForAll @IntRange(min = 1, max = 70) int c,
                                                             @ForAll @IntRange(min = 0, max = 9) int extra,
                                                             @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int stride = c + extra, off = extra > 0 ? r.nextInt(extra + 1) : 0, pixels = n * h * w;
        float[] wide = new float[pixels * stride], weight = new float[c * 9], dy = new float[pixels * c];
        for (int i = 0; i < wide.length; i++) wide[i] = (float) (2 * r.nextDouble() - 1);
        for (int i = 0; i < weight.length; i++) weight[i] = (float) (2 * r.nextDouble() - 1);
        for (int i = 0; i < dy.length; i++) dy[i] = (float) (2 * r.nextDouble() - 1);
        double[] dxRef = new double[pixels * c], dwRef = new double[c * 9], dbRef = new double[c];
        double[] dxAbs = new double[pixels * c], dwAbs = new double[c * 9], dbAbs = new double[c];
        for (int img = 0; img < n; img++)
            for (int oy = 0; oy < h; oy++)
                for (int ox = 0; ox < w; ox++)
                    for (int ch = 0; ch < c; ch++) {
                        double g = dy[((img * h + oy) * w + ox) * c + ch];
                        dbRef[ch] += g;
                        dbAbs[ch] += Math.abs(g);
                        for (int t = 0; t < 9; t++) {
                            int iy = oy - 1 + t / 3, ix = ox - 1 + t % 3;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            int q = (img * h + iy) * w + ix;
                            dxRef[q * c + ch] += g * weight[ch * 9 + t];
                            dxAbs[q * c + ch] += Math.abs(g * weight[ch * 9 + t]);
                            dwRef[ch * 9 + t] += g * wide[q * stride + off + ch];
                            dwAbs[ch * 9 + t] += Math.abs(g * wide[q * stride + off + ch]);
                        }
                    }
        float[][] first = null;
        int before = jcipa.tensor.parallel.Parallel.threads();
        try {
            for (int run = 0; run < 3; run++) {
                boolean vector = run != 1;
                jcipa.tensor.parallel.Parallel.setThreads(run == 2 ? 3 : 1);
                float[] dx = new float[pixels * c], dw = new float[c * 9], db = new float[c];
                DepthwiseConv3x3.backwardInputChannelsLast(vector, n, h, w, c, dy, weight, dx);
                DepthwiseConv3x3.backwardWeightChannelsLast(vector, n, h, w, c, wide, off, stride, dy, dw, db);
                float[][] got = {dx, dw, db};
                if (first == null) {
                    first = got;
                    assertWithinSumBound("dx", dxRef, dxAbs, 9, dx);
                    assertWithinSumBound("dw", dwRef, dwAbs, pixels, dw);
                    assertWithinSumBound("db", dbRef, dbAbs, pixels, db);
                } else {
                    for (int k = 0; k < 3; k++)
                        for (int i = 0; i < got[k].length; i++)
                            if (Float.floatToRawIntBits(first[k][i]) != Float.floatToRawIntBits(got[k][i]))
                                throw new AssertionError((run == 1 ? "scalar path" : "3 threads") + ": gradient " + k + " element " + i
                                        + ": " + first[k][i] + " vs " + got[k][i]);
                }
            }
        } finally {
            jcipa.tensor.parallel.Parallel.setThreads(before);
        }
    }

    private static void assertWithinSumBound(String what, double[] expected, double[] absSum, int terms, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]), bound = 2.0 * (terms + 1) * 0x1p-24 * absSum[i];
            if (err > bound) throw new AssertionError(what + "[" + i + "]: error " + err + " beyond " + bound + " (expected " + expected[i] + ")");
        }
    }
}
