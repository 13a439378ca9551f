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

    /** The vector path, run into a fresh array with 1 and with 3 threads, gives {@code scalar}'s bits. */
    static void assertVectorPathBits(String what, float[] scalar, java.util.function.Consumer<float[]> vectorPath) {
        for (int threads : new int[] {1, 3}) {
            float[] out = new float[scalar.length];
            withThreads(threads, () -> { vectorPath.accept(out); return null; });
            assertSameBits(what + " threads " + threads, out, scalar);
        }
    }

    @Test
    void denseForwardHasTheScalarBits() {
        check(ConvShape.of(1, 40, 37, 41, 32, 3, 1, 1, 1), 1);          // 1517 pixels: several blocks, a partial one
        check(ConvShape.of(2, 17, 19, 23, 17, 3, 2, 1, 1), 2);          // stride 2, batch 2, odd sizes
        check(ConvShape.of(1, 64, 20, 20, 48, 3, 1, 1, 2), 3);          // two groups of 32 → 24
        check(ConvShape.of(1, 8, 9, 9, 16, 5, 1, 2, 1), 4);             // 5×5, 200 taps
        check(ConvShape.of(1, 192, 16, 16, 192, 3, 1, 1, 1), 5);        // CIPA-like width
    }

    /**
     * The dInput of a dense 3×3 convolution (stride 1, padding 1), run as the forward of the transposed and flipped
     * convolution: the same bits on the vector path (direct 3×3 kernel when both channel counts reach 8) and the
     * scalar path, for any thread count, and the definition's values (against the float64 reference).
     */
    @Test
    void denseThreeByThreeInputGradientIsTheTransposedForward() {
        ConvShape[] shapes = {ConvShape.of(1, 96, 37, 29, 32, 3, 1, 1, 1), ConvShape.of(2, 32, 13, 17, 96, 3, 1, 1, 1),
            ConvShape.of(1, 5, 9, 11, 3, 3, 1, 1, 1)};
        long seed = 10;
        for (ConvShape s : shapes) {
            org.junit.jupiter.api.Assertions.assertTrue(Conv2d.backwardInputIsConvolution(s));
            Random r = new Random(seed++);
            float[] dy = gaussian(r, s.outputSize()), w = gaussian(r, s.weightSize());
            float[] scalar = new float[s.inputSize()];
            Conv2d.backwardInput(false, s, dy, w, scalar);
            assertVectorPathBits("dInput " + s, scalar, dx -> Conv2d.backwardInput(true, s, dy, w, dx));
            double[] ref = jcipa.tensor.ref.Conv2dRef.backwardInput(s, toDouble(dy), toDouble(w));
            double[] mag = jcipa.tensor.ref.Conv2dRef.backwardInput(s, toDouble(abs(dy)), toDouble(abs(w)));
            assertWithin("dInput " + s, scalar, ref, 9 * s.cOut() + 2, mag);
        }
    }

    /**
     * A convolution with few weight blocks (a 1×1 convolution to one or two channels) computes its weight gradient by
     * pixel chunks in parallel and adds them in order: the bits of one pass through the chunks, for any thread count,
     * and of the scalar path.
     */
    @Test
    void fewWeightBlocksSplitByPixelChunksKeepTheBits() {
        for (ConvShape s : new ConvShape[] {ConvShape.of(2, 40, 37, 29, 1, 1, 1, 0, 1), ConvShape.of(1, 200, 19, 23, 2, 1, 1, 0, 1)}) {
            Random r = new Random(s.cIn());
            float[] x = gaussian(r, s.inputSize()), dy = gaussian(r, s.outputSize());
            float[] scalar = new float[s.weightSize()];
            Conv2d.backwardWeight(false, s, x, dy, scalar);
            float[] oneTask = new float[s.weightSize()];                 // the chunks one after the other, accumulating
            int pixels = s.ho() * s.wo();
            for (int img = 0; img < s.n(); img++)
                for (int p0 = 0; p0 < pixels; p0 += Conv2d.DW_PIXEL_CHUNK) {
                    int np = Math.min(Conv2d.DW_PIXEL_CHUNK, pixels - p0);
                    for (int co = 0; co < s.cOut(); co++)
                        for (int ci = 0; ci < s.cIn(); ci++) {
                            float acc = 0f;
                            for (int q = 0; q < np; q++) acc = Math.fma(dy[(img * s.cOut() + co) * pixels + p0 + q], x[(img * s.cIn() + ci) * pixels + p0 + q], acc);
                            oneTask[co * s.cIn() + ci] += acc;
                        }
                }
            assertSameBits("dWeight scalar vs one pass " + s, scalar, oneTask);
            assertVectorPathBits("dWeight " + s, scalar, dw -> Conv2d.backwardWeight(true, s, x, dy, dw));
        }
    }

    /**
     * The dWeight of a dense 3×3 convolution (stride 1, padding 1) by 16 chains over the padded grid: the same bits on
     * the vector path (8-channel tiles and the leftover channels) and the scalar path, for any thread count, and the
     * definition's values within the documented bound.
     */
    @Test
    void denseThreeByThreeWeightGradientKeepsItsOrder() {
        ConvShape[] shapes = {ConvShape.of(1, 9, 37, 29, 20, 3, 1, 1, 1), ConvShape.of(3, 4, 13, 17, 8, 3, 1, 1, 1),
            ConvShape.of(1, 2, 1, 1, 3, 3, 1, 1, 1), ConvShape.of(2, 32, 16, 16, 96, 3, 1, 1, 1)};
        long seed = 20;
        for (ConvShape s : shapes) {
            org.junit.jupiter.api.Assertions.assertTrue(DenseConv3x3WeightGrad.applies(s));
            Random r = new Random(seed++);
            float[] x = gaussian(r, s.inputSize()), dy = gaussian(r, s.outputSize());
            float[] scalar = new float[s.weightSize()];
            Conv2d.backwardWeight(false, s, x, dy, scalar);
            assertVectorPathBits("dWeight " + s, scalar, dw -> Conv2d.backwardWeight(true, s, x, dy, dw));
            double[] ref = jcipa.tensor.ref.Conv2dRef.backwardWeight(s, toDouble(x), toDouble(dy));
            double[] mag = jcipa.tensor.ref.Conv2dRef.backwardWeight(s, toDouble(abs(x)), toDouble(abs(dy)));
            assertWithin("dWeight " + s, scalar, ref, DenseConv3x3WeightGrad.gridPositions(s) / 16 + 4 + s.n(), mag);
        }
    }
}
