package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Unary;
import org.junit.jupiter.api.Test;

/** addInPlace gives add's bits into its target (with broadcasting and strided others), and only at inference. */
class AddInPlaceTest {



    @Test
    void sameBitsAsAddIntoTheTarget() {
        SplittableRandom r = new SplittableRandom(3);
        int[][][] cases = {{{2, 5, 7, 3}, {2, 5, 7, 3}}, {{2, 5, 7, 3}, {3}}, {{4, 6, 33}, {4, 1, 33}}, {{1, 96, 9, 9}, {1, 96, 1, 1}}, {{300}, {1}}};
        for (int[][] c : cases) {
            Tensor target = OpCatalog.randF32(r, -3, 3, c[0]), other = OpCatalog.randF32(r, -3, 3, c[1]);
            int[] expected = Bits.of(target.add(other));
            try (var ng = Autograd.noGrad()) {
                Tensor out = Pointwise.addInPlace(target, other);
                assertSame(target, out);
                assertArrayEquals(expected, Bits.of(target));
            }
        }
        // a strided other: a permuted view, read in place
        Tensor target = OpCatalog.randF32(r, -1, 1, 2, 3, 4, 5), base = OpCatalog.randF32(r, -1, 1, 2, 4, 5, 3);
        Tensor other = base.permute(0, 3, 1, 2);
        int[] expected = Bits.of(target.add(other));
        try (var ng = Autograd.noGrad()) {
            Pointwise.addInPlace(target, other);
        }
        assertArrayEquals(expected, Bits.of(target));
    }

    /** mulInPlace gives mul's bits into its target (a channel-attention shape: per-channel factors). */
    @Test
    void productsHaveTheBitsOfMul() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor target = OpCatalog.randF32(r, -3, 3, 2, 6, 5, 7), w = OpCatalog.randF32(r, 0, 1, 2, 6, 1, 1);
        int[] expected = Bits.of(target.mul(w));
        try (var ng = Autograd.noGrad()) {
            assertSame(target, Pointwise.mulInPlace(target, w));
        }
        assertArrayEquals(expected, Bits.of(target));
        assertThrows(IllegalStateException.class, () -> Pointwise.mulInPlace(target, w));
    }

    /** mapInPlace gives map's bits into its target. */
    @Test
    void mappedInPlaceHasTheBitsOfMap() {
        SplittableRandom r = new SplittableRandom(6);
        for (Unary f : new Unary[] {Unary.GELU, Unary.SILU, Unary.SIGMOID}) {
            Tensor target = OpCatalog.randF32(r, -6, 6, 3, 1000);
            int[] expected = Bits.of(Pointwise.map(f, target));
            try (var ng = Autograd.noGrad()) {
                assertSame(target, Pointwise.mapInPlace(f, target));
            }
            assertArrayEquals(expected, Bits.of(target), f.name());
        }
    }

    /** addProductInPlace gives a.mul(s).add(target)'s bits (product rounded, then the sum; not an fma). */
    @Test
    void productSumsHaveTheBitsOfMulThenAdd() {
        SplittableRandom r = new SplittableRandom(9);
        int[][][] cases = {{{2, 5, 7, 37}, {2, 5, 7, 37}, {37}}, {{3, 1, 20}, {3, 1, 20}, {3, 1, 1}}, {{4, 33}, {33}, {4, 33}}, {{300}, {300}, {1}}};
        for (int[][] c : cases) {
            Tensor target = OpCatalog.randF32(r, -3, 3, c[0]), a = OpCatalog.randF32(r, -3, 3, c[1]), s = OpCatalog.randF32(r, -2, 2, c[2]);
            int[] expected = Bits.of(a.mul(s).add(target));
            try (var ng = Autograd.noGrad()) {
                assertSame(target, Pointwise.addProductInPlace(target, a, s));
            }
            assertArrayEquals(expected, Bits.of(target), () -> java.util.Arrays.deepToString(c));
        }
        // a strided a (a permuted view) takes the scalar path
        Tensor target = OpCatalog.randF32(r, -1, 1, 3, 4, 5), base = OpCatalog.randF32(r, -1, 1, 5, 3, 4), s = OpCatalog.randF32(r, -1, 1, 5);
        Tensor a = base.permute(1, 2, 0);
        int[] expected = Bits.of(a.mul(s).add(target));
        try (var ng = Autograd.noGrad()) {
            Pointwise.addProductInPlace(target, a, s);
        }
        assertArrayEquals(expected, Bits.of(target));
        // float64 (the reference models)
        Tensor t64 = OpCatalog.rand(r, -3, 3, 4, 9), a64 = OpCatalog.rand(r, -3, 3, 4, 9), s64 = OpCatalog.rand(r, -1, 1, 9);
        double[] expected64 = a64.mul(s64).add(t64).doubles();
        try (var ng = Autograd.noGrad()) {
            Pointwise.addProductInPlace(t64, a64, s64);
        }
        assertArrayEquals(expected64, t64.doubles());
    }

    @Test
    void refusedWhenGradientsAreRecordedOrTheTargetIsAViewOrNotTheResultShape() {
        Tensor t = Tensor.zeros(DType.F32, 2, 3), o = Tensor.zeros(DType.F32, 2, 3);
        assertThrows(IllegalStateException.class, () -> Pointwise.addInPlace(t, o));
        try (var ng = Autograd.noGrad()) {
            assertThrows(IllegalArgumentException.class, () -> Pointwise.addInPlace(Tensor.zeros(DType.F32, 3, 2).permute(1, 0), o));
            assertThrows(IllegalArgumentException.class, () -> Pointwise.addInPlace(Tensor.zeros(DType.F32, 1, 3), o));
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> Pointwise.addInPlace(Tensor.full(DType.F32, Double.POSITIVE_INFINITY, 2, 3), Tensor.full(DType.F32, Double.NEGATIVE_INFINITY, 2, 3)));
            assertTrue(e.getMessage().contains("add (in place)"), e.getMessage());
        }
    }
}
