package jcipa.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

import jcipa.tensor.Tensor;

class VizTest {

    /** Pixel vectors a·f(p) + b (rank one plus an offset): the first principal component recovers f up to scale. */
    @Test
    void firstComponentRecoversARankOnePattern() {
        int c = 5, h = 3, w = 4, p = h * w;
        double[] a = {0.5, -1.0, 2.0, 0.25, 1.5}, b = {3, -2, 0.5, 1, 0};
        double[] v = new double[c * p], f = new double[p];
        for (int i = 0; i < p; i++) f[i] = Math.sin(i) + 0.1 * i;
        for (int ch = 0; ch < c; ch++) for (int i = 0; i < p; i++) v[ch * p + i] = a[ch] * f[i] + b[ch];
        double[][] map = FeatureMaps.reduce(Tensor.of(v, 1, c, h, w), FeatureMaps.Reduction.PCA);
        double fm = 0, mm = 0;
        for (int i = 0; i < p; i++) { fm += f[i] / p; mm += map[i / w][i % w] / p; }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < p; i++) {
            double x = f[i] - fm, y = map[i / w][i % w] - mm;
            sxy += x * y; sxx += x * x; syy += y * y;
        }
        // Σa > 0, so the channel mean rises with f and the chosen sign makes the correlation +1
        assertEquals(1, sxy / Math.sqrt(sxx * syy), 1e-9);
        double[][] mean = FeatureMaps.reduce(Tensor.of(v, 1, c, h, w), FeatureMaps.Reduction.MEAN);
        assertEquals((0.5 - 1 + 2 + 0.25 + 1.5) / 5 * f[5] + 2.5 / 5, mean[1][1], 1e-12);
    }

    @Test
    void viridisRunsFromPurpleToYellowGettingLighter() {
        assertEquals(0x440154, Viridis.rgb(0));
        assertEquals(0xFDE725, Viridis.rgb(1));
        assertEquals(0x21908C, Viridis.rgb(0.5));
        double last = -1;
        for (int i = 0; i <= 100; i++) {
            int rgb = Viridis.rgb(i / 100.0);
            double luma = 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
            assertTrue(luma > last, "luminance rises at " + i);
            last = luma;
        }
    }

    @Test
    void mapImageColoursCellsAndDrawsTheBar() {
        BufferedImage img = MapImage.render(new double[][] {{0, 1}, {2, 4}});
        assertEquals(0x440154, img.getRGB(0, 0) & 0xffffff);          // minimum
        assertEquals(0xFDE725, img.getRGB(255, 255) & 0xffffff);      // maximum, cell enlarged 128×
        assertEquals(Viridis.rgb(0.5), img.getRGB(0, 200) & 0xffffff); // value 2 of 0..4
        assertEquals(0xFDE725, img.getRGB(256 + 8, 0) & 0xffffff);    // bar top
        assertEquals(0x440154, img.getRGB(256 + 8, 255) & 0xffffff);  // bar bottom
        assertEquals("4.00", MapImage.label(4));
    }
}
