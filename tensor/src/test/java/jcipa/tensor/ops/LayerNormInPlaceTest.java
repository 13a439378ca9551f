package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** layerNormInPlace gives layerNorm's bits over its own input, with or without weight and bias, and only at inference. */
class LayerNormInPlaceTest {


    @Test
    void sameBitsAsLayerNormWrittenOverTheInput() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{2, 5, 7, 96}, {300, 33}, {1, 4, 4, 1}, {3, 17}};
        for (int[] shape : shapes) {
            int cols = shape[shape.length - 1];
            Tensor weight = OpCatalog.randF32(r, -2, 2, cols), bias = OpCatalog.randF32(r, -1, 1, cols);
            for (int variant = 0; variant < 4; variant++) {
                Tensor w = variant % 2 == 0 ? weight : null, b = variant / 2 == 0 ? bias : null;
                Tensor x = OpCatalog.randF32(r, -5, 5, shape);
                int[] expected = Bits.of(Norms.layerNorm(x, new int[] {cols}, w, b, 1e-5));
                try (var ng = Autograd.noGrad()) {
                    assertSame(x, Norms.layerNormInPlace(x, w, b, 1e-5));
                }
                assertArrayEquals(expected, Bits.of(x), java.util.Arrays.toString(shape) + " variant " + variant);
            }
        }
    }

    @Test
    void refusedWhileRecordingOrOnAView() {
        SplittableRandom r = new SplittableRandom(8);
        Tensor x = OpCatalog.randF32(r, -1, 1, 4, 6), w = OpCatalog.randF32(r, -1, 1, 6);
        assertThrows(IllegalStateException.class, () -> Norms.layerNormInPlace(x, w, null, 1e-5));
        try (var ng = Autograd.noGrad()) {
            assertThrows(IllegalArgumentException.class, () -> Norms.layerNormInPlace(OpCatalog.randF32(r, -1, 1, 6, 4).transpose(0, 1), w, null, 1e-5));
            assertThrows(IllegalArgumentException.class, () -> Norms.layerNormInPlace(x, OpCatalog.randF32(r, -1, 1, 5), null, 1e-5));
            assertThrows(IllegalArgumentException.class, () -> Norms.layerNormInPlace(OpCatalog.randF32(r, -1, 1, 8, 6).slice(0, 0, 4), w, null, 1e-5));
        }
    }
}
