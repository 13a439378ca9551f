package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.SpatialTestData.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dense forward (im2col blocks + Gemm, taken for ≥ 16 output channels per group and ≥ 64 taps)
 * gives the bits of the scalar ConvGemm path, for any thread count, on shapes with several pixel
 * blocks, partial blocks, strides, padding and groups.
 */
class Conv2dDenseTest {
    static void check(ConvShape s, long seed) {
        Random r = new Random(seed);
        float[] x = gaussian(r, s.inputSize()), w = gaussian(r, s.weightSize()), b = gaussian(r, s.cOut());
        float[] scalar = new float[s.outputSize()];
        Conv2d.forward(false, s, x, w, b, scalar);
        for (int threads : new int[] {1, 3}) {
            float[] y = new float[s.outputSize()];
            withThreads(threads, () -> { Conv2d.forward(true, s, x, w, b, y); return null; });
            assertSameBits("dense forward " + s + " threads " + threads, y, scalar);
        }
        float[] noBias = new float[s.outputSize()], noBiasScalar = new float[s.outputSize()];
        Conv2d.forward(true, s, x, w, null, noBias);
        Conv2d.forward(false, s, x, w, null, noBiasScalar);
        assertSameBits("dense forward without bias " + s, noBias, noBiasScalar);
    }

    @Test
    void denseForwardHasTheScalarBits() {
        check(ConvShape.of(1, 40, 37, 41, 32, 3, 1, 1, 1), 1);          // 1517 pixels: several blocks, a partial one
        check(ConvShape.of(2, 17, 19, 23, 17, 3, 2, 1, 1), 2);          // stride 2, batch 2, odd sizes
        check(ConvShape.of(1, 64, 20, 20, 48, 3, 1, 1, 2), 3);          // two groups of 32 → 24
        check(ConvShape.of(1, 8, 9, 9, 16, 5, 1, 2, 1), 4);             // 5×5, 200 taps
        check(ConvShape.of(1, 192, 16, 16, 192, 3, 1, 1, 1), 5);        // CIPA-like width
    }
}
