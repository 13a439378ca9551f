package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Linear reads a contiguous view of its input or weight in place, from the view's offset (a block of weight rows,
 * as {@code LinearLayer.forwardOutputs} takes half of in_proj), and copies any other view: either way the output
 * and the gradients have the bits of the same op on dense copies of the operands.
 */
class LinearOperandViewsTest {
    private static final SplittableRandom R = new SplittableRandom(29);

    /** A dense copy of t's elements (no graph), a leaf of its own. */
    private static Tensor dense(Tensor t) {
        return Tensor.of(t.floats().clone(), t.shape());
    }

    @Test
    void aBlockOfWeightRowsIsReadFromItsOffset() {
        Tensor x = OpCatalog.randF32(R, -1, 1, 2, 5, 24), w = OpCatalog.randF32(R, -1, 1, 40, 24), b = OpCatalog.randF32(R, -1, 1, 40);
        for (int[] rows : new int[][] {{0, 16}, {16, 40}, {7, 23}}) {
            Tensor ws = w.slice(0, rows[0], rows[1]), bs = b.slice(0, rows[0], rows[1]);
            assertTrue(ws.isContiguous());
            assertTrue(ws.offset() > 0 || ws.numel() < w.numel(), "the view does not span its storage from 0");
            assertArrayEquals(Bits.of(Linear.linear(x, dense(ws), dense(bs))), Bits.of(Linear.linear(x, ws, bs)), "rows " + rows[0] + ".." + rows[1]);
        }
    }

    @Test
    void aContiguousSliceOfTheInputIsReadFromItsOffset() {
        Tensor x = OpCatalog.randF32(R, -1, 1, 6, 33), w = OpCatalog.randF32(R, -1, 1, 17, 33);
        Tensor xs = x.slice(0, 2, 5);
        assertTrue(xs.isContiguous() && xs.offset() > 0);
        assertArrayEquals(Bits.of(Linear.linear(dense(xs), w, null)), Bits.of(Linear.linear(xs, w, null)));
    }

    @Test
    void aTransposedWeightIsCopied() {
        Tensor x = OpCatalog.randF32(R, -1, 1, 9, 12), wt = OpCatalog.randF32(R, -1, 1, 12, 20);
        Tensor w = wt.transpose(0, 1);
        assertFalse(w.isContiguous());
        assertArrayEquals(Bits.of(Linear.linear(x, dense(w), null)), Bits.of(Linear.linear(x, w, null)));
    }

    @Test
    void gradientsThroughAWeightBlockAreThoseOfADenseWeight() {
        Tensor x = OpCatalog.randF32(R, -1, 1, 3, 4, 16).requiresGrad(true), w = OpCatalog.randF32(R, -1, 1, 30, 16).requiresGrad(true);
        Tensor xd = dense(x).requiresGrad(true), wd = dense(w.slice(0, 11, 30)).requiresGrad(true);
        Tensor dy = OpCatalog.randF32(R, -1, 1, 3, 4, 19);
        Linear.linear(x, w.slice(0, 11, 30), null).mul(dy).sum().backward();
        Linear.linear(xd, wd, null).mul(dy).sum().backward();
        assertArrayEquals(Bits.of(xd.grad()), Bits.of(x.grad()), "dx reads the weight block from its offset");
        float[] dw = w.grad().floats(), dwd = wd.grad().floats();
        for (int i = 0; i < 30 * 16; i++) {
            float expected = i < 11 * 16 ? 0f : dwd[i - 11 * 16];
            assertTrue(Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(dw[i]), "dW element " + i);
        }
    }
}
