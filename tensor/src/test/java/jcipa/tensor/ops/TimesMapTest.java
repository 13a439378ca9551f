package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Unary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * An activation's backward g·f′(x) in one pass ({@link Pointwise#timesMap}) gives the bits of the two ops it replaces,
 * {@code mul(g, map(f′, x))}, for sizes below, at and past the parallel chunk (odd tails included), for views at an
 * offset, and through the ops' own backward (SiLU's gradient by autograd against the two-op product).
 */
class TimesMapTest {

    private static Tensor random(SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) v[i] = scale * (2 * r.nextDouble() - 1);
        if (n > 3) { v[0] = -0.0; v[1] = 30; v[2] = -90; v[3] = 1e-40; }               // signed zero, σ saturation, tiny
        return Tensor.of(v, n).to(DType.F32);
    }

    @Property(tries = 30)
    void oneGivesTheBitsOfTwoOps(@ForAll("sizes") int n, @ForAll @IntRange(min = 0, max = 3) int skip, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor g = random(r, n + skip, 3).slice(0, skip, n + skip), x = random(r, n + skip, 8).slice(0, skip, n + skip);
        Autograd.noGrad(() -> {
            for (Unary f : new Unary[] {Unary.SILU_GRAD, Unary.GELU_GRAD, Unary.SOFTPLUS_GRAD, Unary.RELU_GRAD}) {
                Tensor fused = Pointwise.timesMap(g, f, x), twoOps = Pointwise.mul(g, Pointwise.map(f, x));
                assertArrayEquals(Bits.of(twoOps), Bits.of(fused), f.name() + " at n = " + n);
            }
            return null;
        });
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> sizes() {
        return net.jqwik.api.Arbitraries.of(1, 15, 16, 17, 1000, Pointwise.CHUNK - 1, Pointwise.CHUNK, 3 * Pointwise.CHUNK + 7);
    }

    @Property(tries = 10)
    void siluBackwardIsTheProductOfItsDerivative(@ForAll @IntRange(min = 1, max = 70000) int n, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = random(r, n, 8).requiresGrad(true), g = random(r, n, 3);
        Pointwise.silu(x).backward(g);
        Tensor expected = Autograd.noGrad(() -> Pointwise.mul(g, Pointwise.map(Unary.SILU_GRAD, x.detach())));
        assertArrayEquals(Bits.of(expected), Bits.of(x.grad()));
    }
}
