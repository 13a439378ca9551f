package jcipa.model;

import java.util.SplittableRandom;
import java.util.function.Function;

import jcipa.nn.Module;
import jcipa.nn.StateValue;
import jcipa.tensor.Tensor;

/** Random parameters and finite-difference gradients for module tests (float64). */
final class ModuleTesting {
    private ModuleTesting() {}

    /** Fills every float entry of the state dict with uniform values in [−scale, scale]. */
    static void randomize(Module m, long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (StateValue v : m.stateDict().values()) {
            if (v instanceof StateValue.Floats f) {
                double[] d = new double[f.tensor().numel()];
                for (int i = 0; i < d.length; i++) d[i] = scale * (2 * rng.nextDouble() - 1);
                f.set(d);
            }
        }
    }

    /** The raw bits of t's elements, row-major (for bit-for-bit comparisons). */
    static int[] bits(Tensor t) {
        float[] f = t.floats();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }

    static Tensor random(long seed, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1;
        for (int s : shape) n *= s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 2 * rng.nextDouble() - 1;
        return Tensor.of(d, shape);
    }

    /** d/dt f(t) at element i of t by central differences, f scalar-valued; t's storage is perturbed and restored. */
    static double centralDifference(Function<Tensor, Double> f, Tensor t, int i, double h) {
        double[] s = t.storageDoubles();
        double keep = s[t.offset() + i];
        s[t.offset() + i] = keep + h;
        double up = f.apply(t);
        s[t.offset() + i] = keep - h;
        double down = f.apply(t);
        s[t.offset() + i] = keep;
        return (up - down) / (2 * h);
    }
}
