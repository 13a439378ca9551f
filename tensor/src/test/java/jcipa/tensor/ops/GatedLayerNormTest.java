package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * SS2D's out_norm(y)·SiLU(z) in one pass at inference: the same bits as LayerNorm, SiLU and the product
 * one by one, with the gate a channel half of a wider map (read in place) or a contiguous tensor, with
 * and without weight and bias.
 */
class GatedLayerNormTest {

    @Property(tries = 50)
    void sameBitsAsTheOpsOneByOne(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll @IntRange(min = 1, max = 6) int h,
                                  @ForAll @IntRange(min = 1, max = 7) int w, @ForAll @IntRange(min = 1, max = 70) int c,
                                  @ForAll boolean sliceGate, @ForAll boolean affine, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = random(r, b, h, w, c);
        Tensor gate = sliceGate ? random(r, b, h, w, 2 * c).slice(3, c, 2 * c) : random(r, b, h, w, c);
        Tensor weight = affine ? random(r, c) : null, bias = affine ? random(r, c) : null;
        Tensor fused = Autograd.noGrad(() -> Norms.layerNormTimesSilu(x, weight, bias, 1e-5, gate));
        Tensor oneByOne = Autograd.noGrad(() -> Norms.layerNorm(x, new int[] {c}, weight, bias, 1e-5).mul(gate.silu()));
        assertArrayEquals(Bits.of(oneByOne), Bits.of(fused));
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 6 * r.nextDouble() - 3;
        return Tensor.of(v, shape).to(DType.F32);
    }

}
