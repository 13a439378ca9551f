package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TileTransposeTest {
    @Test
    void registerTransposeEqualsTheScalarTranspose() {
        assumeTrue(TileTranspose.AVAILABLE, "no register transpose for this width (" + Simd.describe() + ")");
        int w = TileTranspose.W;
        Random rnd = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int ss = w + rnd.nextInt(40), ds = w + rnd.nextInt(40), so = rnd.nextInt(30), d0 = rnd.nextInt(30);
            float[] src = new float[so + w * ss + 1];
            for (int i = 0; i < src.length; i++) src[i] = rnd.nextFloat() - 0.5f;
            float[] dst = new float[d0 + w * ds + 1];
            float[] expected = dst.clone();
            for (int i = 0; i < w; i++)
                for (int j = 0; j < w; j++) expected[d0 + j * ds + i] = src[so + i * ss + j];
            TileTranspose.transpose(src, so, ss, dst, d0, ds);
            for (int k = 0; k < dst.length; k++)
                assertEquals(Float.floatToRawIntBits(expected[k]), Float.floatToRawIntBits(dst[k]), "element " + k + " of trial " + trial);
        }
    }

    @Test
    void aPlaneOfAnySizeIsTransposedElementForElement() {
        // tiles where the width has them, one float at a time at the edges (and everywhere on the scalar path)
        Random rnd = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            int rows = 1 + rnd.nextInt(70), cols = 1 + rnd.nextInt(70), s = rnd.nextInt(20), d = rnd.nextInt(20);
            float[] src = new float[s + rows * cols + 3];
            for (int i = 0; i < src.length; i++) src[i] = rnd.nextFloat() - 0.5f;
            float[] dst = new float[d + rows * cols + 3];
            for (int i = 0; i < dst.length; i++) dst[i] = -7f;
            float[] expected = dst.clone();
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) expected[d + j * rows + i] = src[s + i * cols + j];
            TileTranspose.plane(src, s, rows, cols, dst, d);
            for (int k = 0; k < dst.length; k++)
                assertEquals(Float.floatToRawIntBits(expected[k]), Float.floatToRawIntBits(dst[k]), "element " + k + " of " + rows + "x" + cols);
        }
    }
}
