package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import jcipa.tensor.Tensor;
import jcipa.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/** Strided.copy (tiled transposes, parallel rows) against an element-by-element walk of the view. */
class StridedCopyTest {
    /** The element of x at the row-major position i of its shape, read through its strides. */
    static float at(Tensor x, int i) {
        int[] shape = x.shape(), st = x.strides();
        int p = x.offset();
        for (int k = shape.length - 1; k >= 0; k--) {
            p += i % shape[k] * st[k];
            i /= shape[k];
        }
        return x.storageFloats()[p];
    }

    static void check(int[] shape, int... perm) {
        SplittableRandom r = new SplittableRandom(shape.length * 31 + perm[0]);
        int n = 1;
        for (int s : shape) n *= s;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float) r.nextGaussian();
        Tensor view = Tensor.of(data, shape).permute(perm);
        float[] want = new float[n];
        for (int i = 0; i < n; i++) want[i] = at(view, i);
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            try {
                assertArrayEquals(want, view.contiguous().floats(), "shape " + java.util.Arrays.toString(shape) + " perm " + java.util.Arrays.toString(perm));
            } finally {
                Parallel.setThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    @Test
    void transposesOfEveryKindMatchTheElementWalk() {
        check(new int[] {1, 3, 5, 7}, 0, 2, 3, 1);          // channels last, tiny
        check(new int[] {2, 37, 17, 33}, 0, 2, 3, 1);       // channels last, edge tiles
        check(new int[] {1, 96, 128, 128}, 0, 2, 3, 1);     // CIPA stage 0, parallel tiles
        check(new int[] {1, 128, 128, 96}, 0, 3, 1, 2);     // back to channels first
        check(new int[] {3, 1, 257}, 2, 1, 0);
        check(new int[] {4, 64, 300}, 0, 2, 1);
        check(new int[] {2, 3, 4, 5}, 3, 2, 1, 0);
        check(new int[] {300, 400}, 0, 1);                   // contiguous rows, parallel
        check(new int[] {5, 300, 400}, 1, 0, 2);             // row runs, parallel
    }

    @Test
    void nanCheckFindsANaNInAView() {
        float[] data = new float[4 * 5 * 70];
        Tensor t = Tensor.of(data, 4, 5, 70);
        assertFalse(NanCheck.hasNaN(t.permute(2, 0, 1)));
        data[3 * 350 + 2 * 70 + 41] = Float.NaN;
        assertTrue(NanCheck.hasNaN(t));
        assertTrue(NanCheck.hasNaN(t.permute(2, 0, 1)));
        assertTrue(NanCheck.hasNaN(t.permute(0, 2, 1)));
        assertFalse(NanCheck.hasNaN(Views.slice(t, 0, 0, 3)));
    }
}
