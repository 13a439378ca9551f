package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Unary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A pointwise function of a view whose rows are contiguous but spaced apart (a channel half of a
 * channels-last map, as SS2D's gate) is mapped row by row in place: the same bits as mapping a
 * contiguous copy, in float32 and float64.
 */
class MapRowsTest {

    @Property(tries = 40)
    void aChannelSliceMapsAsItsCopy(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 2, max = 9) int h,
                                    @ForAll @IntRange(min = 64, max = 150) int c, @ForAll @IntRange(min = 0, max = 1) int half,
                                    @ForAll boolean f64, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[b * h * 2 * c];
        for (int i = 0; i < v.length; i++) v[i] = 8 * r.nextDouble() - 4;
        Tensor wide = Tensor.of(v, b, h, 2 * c).to(f64 ? DType.F64 : DType.F32);
        Tensor view = wide.slice(2, half * c, (half + 1) * c);
        assertFalse(view.isContiguous());
        for (Unary f : new Unary[] {Unary.SILU, Unary.GELU, Unary.EXP}) {
            Tensor inPlace = Pointwise.map(f, view), copied = Pointwise.map(f, view.contiguous());
            if (f64) assertArrayEquals(copied.toDoubleArray(), inPlace.toDoubleArray(), 0.0, f.name());
            else assertArrayEquals(Bits.of(copied), Bits.of(inPlace), f.name());
        }
    }

}
