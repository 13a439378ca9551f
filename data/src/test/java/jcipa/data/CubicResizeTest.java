package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link CubicResize} against a plain float64 transcription of OpenCV's cubic resize: half-pixel
 * centres, Keys' kernel with a = −0.75, replicated border, round and saturate. OpenCV quantises
 * the weights to 1/2048, which moves a value by less than one level, so every pixel is within 1
 * and, on images of a few hundred pixels or more, at least 90 % are equal (80 % on noise, 95 % at
 * 512×512 smooth).
 */
class CubicResizeTest {
    @Property(tries = 60)
    void matchesTheFloat64CubicWithinOneLevel(@ForAll @IntRange(min = 1, max = 40) int sw, @ForAll @IntRange(min = 1, max = 40) int sh,
            @ForAll @IntRange(min = 1, max = 48) int dw, @ForAll @IntRange(min = 1, max = 48) int dh, @ForAll @IntRange(min = 1, max = 2) int cn,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean noise = r.nextBoolean();
        byte[] src = new byte[sw * sh * cn];
        for (int c = 0; c < cn; c++) {
            U8Image img = noise ? TestSets.random(sw, sh, r) : TestSets.smooth(sw, sh, r);
            for (int i = 0; i < sw * sh; i++) src[i * cn + c] = img.pixels()[i];
        }
        byte[] got = CubicResize.resize(src, sw, sh, cn, dw, dh);
        assertEquals(dw * dh * cn, got.length);
        if (sw == dw && sh == dh) {
            assertArrayEquals(src, got);
            return;
        }
        int equal = 0;
        for (int y = 0; y < dh; y++)
            for (int x = 0; x < dw; x++)
                for (int c = 0; c < cn; c++) {
                    int want = reference(src, sw, sh, cn, dw, dh, x, y, c), g = got[(y * dw + x) * cn + c] & 0xff;
                    assertTrue(Math.abs(g - want) <= 1, "(" + x + ", " + y + ", " + c + ") got " + g + " want " + want);
                    if (g == want) equal++;
                }
        assertTrue(dw * dh * cn < 256 || equal >= (noise ? 0.8 : 0.9) * dw * dh * cn, (noise ? "noise: " : "smooth: ") + equal + " of " + dw * dh * cn + " equal");
    }

    /** The PCLT case: a 512×512 two-channel crop of side 358–460 back to 512. */
    @Property(tries = 3)
    void fullSizeCropMatchesTheFloat64Cubic(@ForAll @IntRange(min = 358, max = 460) int side, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        U8Image img = TestSets.smooth(side, side, r);
        byte[] got = CubicResize.resize(img.pixels(), side, side, 1, 512, 512);
        int equal = 0;
        for (int y = 0; y < 512; y++)
            for (int x = 0; x < 512; x++) {
                int want = reference(img.pixels(), side, side, 1, 512, 512, x, y, 0), g = got[y * 512 + x] & 0xff;
                assertTrue(Math.abs(g - want) <= 1, "(" + x + ", " + y + ") got " + g + " want " + want);
                if (g == want) equal++;
            }
        assertTrue(equal >= 0.95 * 512 * 512, equal + " equal");
    }

    static int reference(byte[] src, int sw, int sh, int cn, int dw, int dh, int x, int y, int c) {
        double fx = (x + 0.5) * sw / dw - 0.5, fy = (y + 0.5) * sh / dh - 0.5;
        int x0 = (int) Math.floor(fx), y0 = (int) Math.floor(fy);
        double sum = 0;
        for (int j = -1; j <= 2; j++)
            for (int i = -1; i <= 2; i++) {
                int sx = Math.min(sw - 1, Math.max(0, x0 + i)), sy = Math.min(sh - 1, Math.max(0, y0 + j));
                sum += keys(fx - (x0 + i)) * keys(fy - (y0 + j)) * (src[(sy * sw + sx) * cn + c] & 0xff);
            }
        return (int) Math.max(0, Math.min(255, Math.round(sum)));
    }

    /** Keys' cubic convolution kernel, a = −0.75, at distance d. */
    static double keys(double d) {
        double a = -0.75, t = Math.abs(d);
        if (t <= 1) return (a + 2) * t * t * t - (a + 3) * t * t + 1;
        if (t < 2) return a * t * t * t - 5 * a * t * t + 8 * a * t - 4 * a;
        return 0;
    }
}
