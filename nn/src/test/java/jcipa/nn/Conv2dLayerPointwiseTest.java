package jcipa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A 1×1 convolution run on a channels-last map as a linear map of each pixel (the decoder's output conv at
 * inference) gives the bits of the convolution on the NCHW map: same fmas in the same order, then + bias.
 */
class Conv2dLayerPointwiseTest {

    @Test
    void sameBitsAsTheConvolutionBetweenPermutes() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] shapes = {{1, 1, 1, 1, 1}, {2, 5, 7, 96, 1}, {1, 9, 4, 17, 3}, {1, 3, 11, 40, 20}, {2, 8, 8, 33, 49}};
        for (int[] s : shapes) {
            for (boolean bias : new boolean[] {false, true}) {
                int n = s[0], h = s[1], w = s[2], in = s[3], out = s[4];
                Conv2dLayer conv = new Conv2dLayer(in, out, 1, 1, 0, 1, bias, DType.F32);
                for (Tensor p : conv.namedParameters().values()) {
                    float[] v = p.storageFloats();
                    for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextDouble() - 1);
                }
                float[] x = new float[n * h * w * in];
                for (int i = 0; i < x.length; i++) x[i] = (float) (4 * r.nextDouble() - 2);
                Tensor nhwc = Tensor.of(x, n, h, w, in);
                try (var scope = Autograd.noGrad()) {
                    Tensor expected = conv.forward(nhwc.permute(0, 3, 1, 2).contiguous()).permute(0, 2, 3, 1).contiguous();
                    Tensor actual = conv.forwardPointwiseChannelsLast(nhwc);
                    assertArrayEquals(expected.shape(), actual.shape());
                    float[] e = expected.floats(), a = actual.floats();
                    for (int i = 0; i < e.length; i++)
                        assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
                                () -> "shape " + java.util.Arrays.toString(s) + " bias " + bias);
                }
            }
        }
    }

    @Test
    void onlyForPointwiseConvolutions() {
        Conv2dLayer conv3 = new Conv2dLayer(4, 4, 3, 1, 1, 1, true, DType.F32);
        assertThrows(IllegalStateException.class, () -> conv3.forwardPointwiseChannelsLast(Tensor.zeros(DType.F32, 1, 2, 2, 4)));
        assertEquals(false, new Conv2dLayer(4, 4, 1, 2, 0, 1, true, DType.F32).isPointwise());
        assertEquals(true, new Conv2dLayer(4, 2, 1, 1, 0, 1, false, DType.F32).isPointwise());
    }
}
