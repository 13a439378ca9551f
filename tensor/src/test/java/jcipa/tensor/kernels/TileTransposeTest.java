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
}
