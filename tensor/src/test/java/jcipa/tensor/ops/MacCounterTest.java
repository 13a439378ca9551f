package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.MacCounter.Op;
import org.junit.jupiter.api.Test;

/** Each counted op adds fvcore's figure for its shapes, written out here by hand; nothing counts when no counter is open. */
class MacCounterTest {
    static Tensor t(int... shape) { return Tensor.ones(DType.F32, shape); }

    @Test
    void eachOpAddsFvcoresFigure() {
        try (MacCounter c = MacCounter.start()) {
            Linear.linear(t(2, 3, 5), t(7, 5), t(7));                           // 2·3·5·7
            Linear.matmul(t(4, 3, 5), t(4, 5, 6));                              // 4·3·5·6
            Conv2dOp.apply(t(2, 6, 9, 9), t(8, 3, 3, 3), t(8), 2, 1, 2);        // out (2, 8, 5, 5), 3·3·3 per output
            Norms.layerNorm(t(2, 3, 4), new int[] {4}, t(4), t(4), 1e-5);       // 5 per element
            Norms.layerNorm(t(2, 3, 4), new int[] {4}, null, null, 1e-5);       // 4 without affine
            Norms.batchNorm2d(t(2, 3, 4, 4), t(3), t(3), t(3), t(3), false, 0.1, 1e-5);   // eval: 2 per element
            Norms.batchNorm2d(t(2, 3, 4, 4), t(3), t(3), null, null, true, 0.1, 1e-5);    // training: 5 per element
            Interpolate.bilinear(t(1, 2, 3, 3), 5, 4);                          // 4 per output
            Interpolate.bilinearScale(t(1, 2, 3, 3), 2, 2);
            Pooling.adaptiveAvgPool1x1(t(2, 3, 4, 5));                          // 1 per input
            Pooling.adaptiveMaxPool1x1(t(2, 3, 4, 5));                          // not counted
            Tensor u = t(2, 6, 7);                                              // batch 2, K·Dg = 6, L = 7, N = 4
            SelectiveScanOp.apply(u, t(2, 6, 7), t(6, 4), t(2, 2, 4, 7), t(2, 2, 4, 7), t(6), t(6));
            Pointwise.exp(u).add(u).mul(u).silu();                              // elementwise: not counted

            Map<Op, Long> m = c.byOperator();
            assertEquals(2 * 3 * 5 * 7, m.get(Op.LINEAR));
            assertEquals(4 * 3 * 5 * 6, m.get(Op.MATMUL));
            assertEquals(2 * 8 * 5 * 5 * 27, m.get(Op.CONV));
            assertEquals(5 * 24 + 4 * 24, m.get(Op.LAYER_NORM));
            assertEquals(2 * 96 + 5 * 96, m.get(Op.BATCH_NORM));
            assertEquals(4 * (2 * 5 * 4) + 4 * (2 * 6 * 6), m.get(Op.UPSAMPLE_BILINEAR));
            assertEquals(2 * 3 * 4 * 5, m.get(Op.ADAPTIVE_AVG_POOL));
            assertEquals(9 * 2 * 7 * 6 * 4 + 2 * 6 * 7, m.get(Op.SELECTIVE_SCAN));
            long sum = 0;
            for (long v : m.values()) sum += v;
            assertEquals(sum, c.total());
        }
    }

    @Test
    void countsOnlyWhileOpenAndOnlyInTheInnermost() {
        assertFalse(MacCounter.active());
        Linear.linear(t(2, 5), t(3, 5), null);                                  // no counter: nothing happens
        MacCounter outer = MacCounter.start();
        Linear.linear(t(2, 5), t(3, 5), null);
        MacCounter inner = MacCounter.start();
        Linear.linear(t(1, 5), t(3, 5), null);
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        Linear.linear(t(2, 5), t(3, 5), null);
        outer.close();
        Linear.linear(t(2, 5), t(3, 5), null);
        assertFalse(MacCounter.active());
        assertEquals(15, inner.total());
        assertEquals(60, outer.total());
    }

    @Test
    void otherThreadsAreNotCounted() throws Exception {
        try (MacCounter c = MacCounter.start()) {
            Thread other = Thread.ofPlatform().start(() -> Linear.linear(t(2, 5), t(3, 5), null));
            other.join();
            assertEquals(0, c.total());
        }
    }
}
