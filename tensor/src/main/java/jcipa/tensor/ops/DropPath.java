package jcipa.tensor.ops;

import java.util.SplittableRandom;

import jcipa.tensor.Tensor;

/**
 * Stochastic depth ("drop path", as timm): in training, each sample of the batch (dimension 0)
 * keeps its residual branch with probability 1 − p, scaled by 1/(1 − p), or drops it to zero.
 * The mask is drawn from the caller's seeded generator, so a training run is reproducible.
 * Backward: the gradient is multiplied by the same mask (it is a product with a constant).
 */
public final class DropPath {
    private DropPath() {}

    public static Tensor apply(Tensor x, double p, boolean training, SplittableRandom rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropPath: drop probability must be in [0, 1), got " + p);
        if (!training || p == 0) return x;
        int batch = x.size(0);
        double keep = 1 - p;
        double[] m = new double[batch];
        for (int b = 0; b < batch; b++) m[b] = rng.nextDouble() < keep ? 1.0 / keep : 0.0;
        int[] shape = new int[x.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = batch;
        Tensor mask = Tensor.of(m, shape).to(x.dtype());
        return x.mul(mask);
    }
}
