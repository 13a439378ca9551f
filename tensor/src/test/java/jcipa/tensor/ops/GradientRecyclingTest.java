package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A backward pass hands the storage of gradients nobody holds any more to {@link Tensor#recycle} (NaN-poisoned at
 * once, as the tests run), and the next gradient of that size reuses it. The gradients must be the same bits as without
 * recycling, also where a backward returns its input gradient itself (add), a view of it (reshape), or one tensor for
 * two inputs; the seed and what reaches the leaves stay the caller's.
 */
class GradientRecyclingTest {
    /** Large enough to be recycled (Tensor.RECYCLE_MIN floats). */
    private static final int ROWS = 256, COLS = 512;

    private static Tensor random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[ROWS * COLS];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        return Tensor.of(v, ROWS, COLS);
    }

    private record Result(float[] dx, float[] dw, float[] seed, long recycled) {}

    /**
     * L = Σ seed ⊙ f with f = reshape(u + u)·w + silu(u)·u, u = x·w + x: add's backward returns its gradient for both
     * inputs, reshape's a view of it, and x, w and u each get gradients from several paths that are summed.
     */
    private static Result run(boolean recycling) {
        boolean was = Tensor.recycling();
        Tensor.recycling(recycling);
        try {
            Tensor x = random(1).requiresGrad(true), w = random(2).requiresGrad(true), seed = random(3);
            float[] seedBefore = seed.floats().clone();
            Tensor u = x.mul(w).add(x);
            Tensor f = u.add(u).reshape(COLS, ROWS).reshape(ROWS, COLS).mul(w).add(Pointwise.silu(u).mul(u));
            long before = Tensor.recycledCount();
            f.backward(seed);
            long recycled = Tensor.recycledCount() - before;
            assertArrayEquals(seedBefore, seed.floats(), "the seed is the caller's and stays as it was");
            return new Result(x.grad().floats(), w.grad().floats(), seed.floats(), recycled);
        } finally {
            Tensor.recycling(was);
        }
    }

    @Test
    void gradientsAreTheSameBitsWithRecyclingAndItsStorageIsReused() {
        Result plain = run(false), recycled = run(true);
        assertEquals(0, plain.recycled());
        assertTrue(recycled.recycled() >= 3, "the pass recycled " + recycled.recycled() + " gradients");
        assertArrayEquals(plain.dx(), recycled.dx());
        assertArrayEquals(plain.dw(), recycled.dw());
        for (float v : recycled.dx()) assertTrue(Float.isFinite(v), "a leaf's gradient was recycled (NaN-poisoned)");
        for (float v : recycled.dw()) assertTrue(Float.isFinite(v), "a leaf's gradient was recycled (NaN-poisoned)");
    }
}
