package jcipa.tensor.kernels;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The channels-last bilinear resize (the decoder's upsampling at inference) against the NCHW kernel on
 * the permuted map: the same bits, for sizes on both sides of PyTorch's small-output formula, channel
 * counts around multiples of 16, by size and by scale factor, on the vector and scalar paths.
 */
class BilinearChannelsLastTest {

    @Property(tries = 80)
    void sameBitsAsTheNchwKernel(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 40) int c,
                                 @ForAll @IntRange(min = 1, max = 30) int h, @ForAll @IntRange(min = 1, max = 30) int w,
                                 @ForAll @IntRange(min = 1, max = 90) int ho, @ForAll @IntRange(min = 1, max = 90) int wo,
                                 @ForAll boolean scaled, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] nhwc = new float[n * h * w * c], nchw = new float[nhwc.length];
        for (int i = 0; i < nhwc.length; i++) nhwc[i] = (float) (4 * r.nextDouble() - 2);
        for (int img = 0; img < n; img++)
            for (int p = 0; p < h * w; p++)
                for (int ch = 0; ch < c; ch++) nchw[(img * c + ch) * h * w + p] = nhwc[(img * h * w + p) * c + ch];
        double sh = 1 + 3 * r.nextDouble(), sw = 1 + 3 * r.nextDouble();
        int oh = scaled ? Bilinear.scaledSize(h, sh) : ho, ow = scaled ? Bilinear.scaledSize(w, sw) : wo;
        float[] expected = new float[n * c * oh * ow];
        if (scaled) Bilinear.forwardScaled(nchw, n, c, h, w, sh, sw, expected);
        else Bilinear.forward(nchw, n, c, h, w, expected, oh, ow);
        Bilinear.Axis rows = scaled ? Bilinear.axis(h, oh, (float) (1.0 / sh)) : Bilinear.axis(h, oh, (float) h / (float) oh);
        Bilinear.Axis cols = scaled ? Bilinear.axis(w, ow, (float) (1.0 / sw)) : Bilinear.axis(w, ow, (float) w / (float) ow);
        for (boolean vector : new boolean[] {true, false}) {
            float[] y = new float[expected.length];
            Bilinear.forwardChannelsLast(vector, nhwc, n, c, y, rows, cols);
            for (int img = 0; img < n; img++)
                for (int p = 0; p < oh * ow; p++)
                    for (int ch = 0; ch < c; ch++) {
                        float e = expected[(img * c + ch) * oh * ow + p], a = y[(img * oh * ow + p) * c + ch];
                        if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a))
                            throw new AssertionError((vector ? "vector" : "scalar") + " path, " + (scaled ? "scaled" : "sized") + " " + h + "x" + w
                                    + " -> " + oh + "x" + ow + ", c=" + c + ": pixel " + p + " channel " + ch + ": " + e + " vs " + a);
                    }
        }
    }
}
