package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ViewsTest {
    static Tensor arange(int... shape) {
        int n = jcipa.tensor.Shape.numel(shape);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return Tensor.of(d, shape);
    }

    @Test
    void permuteReadsTheRightElements() {
        Tensor x = arange(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);                  // (4, 2, 3)
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 4; c++) assertEquals(x.get(a, b, c), p.get(c, a, b));
        assertTrue(!p.isContiguous());
        assertTrue(p.contiguous().isContiguous());
        assertEquals(x.get(1, 2, 3), p.contiguous().get(3, 1, 2));
    }

    @Test
    void sliceFlipExpandAreViewsWithCorrectValues() {
        Tensor x = arange(3, 5);
        Tensor s = x.slice(1, 1, 4);
        assertSame(x.storageDoubles(), s.storageDoubles());
        assertEquals(x.get(2, 3), s.get(2, 2));
        Tensor f = x.flip(0, 1);
        assertEquals(x.get(0, 0), f.get(2, 4));
        assertEquals(x.get(2, 1), f.get(0, 3));
        Tensor e = arange(1, 5).expand(4, 5);
        assertEquals(e.get(3, 2), 2.0);
        assertArrayEquals(new double[] {4, 3, 2, 1, 0}, arange(5).flip(0).toDoubleArray());
    }

    @Test
    void reshapeOfNonContiguousCopiesInRowMajorOrder() {
        Tensor x = arange(2, 3);
        Tensor t = x.transpose(0, 1).reshape(6);
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, t.toDoubleArray());
        assertArrayEquals(new int[] {3, 2}, x.reshape(-1, 2).shape());
    }

    @Test
    void concatSplitChunkRepeat() {
        Tensor a = arange(2, 2), b = arange(2, 3);
        Tensor c = Joins.concat(1, a, b);
        assertArrayEquals(new double[] {0, 1, 0, 1, 2, 2, 3, 3, 4, 5}, c.toDoubleArray());
        List<Tensor> parts = Joins.split(c, 1, 2, 3);
        assertArrayEquals(a.toDoubleArray(), parts.get(0).toDoubleArray());
        assertArrayEquals(b.toDoubleArray(), parts.get(1).toDoubleArray());
        List<Tensor> ch = Joins.chunk(arange(7), 3, 0);
        assertEquals(3, ch.size());
        assertEquals(3, ch.get(0).numel());
        assertEquals(1, ch.get(2).numel());
        Tensor r = Joins.repeat(arange(2), 2, 3);   // (2, 6): [0 1 0 1 0 1] twice
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, r.toDoubleArray());
    }

    @Test
    void badViewsNameTheOpAndShapes() {
        Tensor x = arange(2, 3);
        var e1 = assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2));
        assertTrue(e1.getMessage().contains("reshape") && e1.getMessage().contains("[2, 3]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> x.slice(1, 2, 5));
        assertTrue(e2.getMessage().startsWith("slice"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> x.expand(3, 3));
        assertTrue(e3.getMessage().startsWith("expand"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> Joins.concat(0, x, arange(2, 4)));
        assertTrue(e4.getMessage().startsWith("concat"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> x.add(Tensor.zeros(DType.F32, 2, 3)));
        assertTrue(e5.getMessage().contains("add") && e5.getMessage().contains("F64") && e5.getMessage().contains("F32"), e5.getMessage());
        var e6 = assertThrows(IllegalArgumentException.class, () -> x.add(arange(4)));
        assertTrue(e6.getMessage().contains("add") && e6.getMessage().contains("[2, 3]") && e6.getMessage().contains("[4]"), e6.getMessage());
    }

    @Test
    void nanProducingInputsNameTheOp() {
        Tensor x = Tensor.of(new float[] {1f, -1f, 2f}, 3);
        var e = assertThrows(ArithmeticException.class, () -> Pointwise.log(x));
        assertTrue(e.getMessage().startsWith("log") && e.getMessage().contains("[3]"), e.getMessage());
        Tensor z = Tensor.of(new double[] {0, 1}, 2);
        var e2 = assertThrows(ArithmeticException.class, () -> z.div(z));
        assertTrue(e2.getMessage().startsWith("div"), e2.getMessage());
        Tensor nan = Tensor.of(new float[] {Float.NaN}, 1);
        var e3 = assertThrows(ArithmeticException.class, () -> nan.add(1.0));
        assertTrue(e3.getMessage().contains("already contains NaN"), e3.getMessage());
    }
}
