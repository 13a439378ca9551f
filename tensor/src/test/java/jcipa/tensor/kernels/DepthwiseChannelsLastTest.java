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
            DepthwiseConv3x3.forwardChannelsLast(vector, n, h, w, c, wide, off, stride, weight, b, silu, y);
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
}
