package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.Scratch;
import org.junit.jupiter.api.Test;

/**
 * Tensor.recycle hands an inference intermediate's storage to the next Tensor.unfilled of its size, and
 * only then: never while autograd records, never for views, small tensors or tensors that require
 * gradients; a recycled tensor can no longer be read. The ops that take unfilled outputs give the same bits
 * on recycled (NaN-poisoned, as the tests run) storage as on fresh storage.
 */
class RecycleTest {
    /** Elements of a tensor large enough to be recycled (Tensor.RECYCLE_MIN is 2^16). */
    private static final int BIG = 1 << 17;

    private static Tensor f32(SplittableRandom r, int... shape) {
        return OpCatalog.randF32(r, -2, 2, shape);
    }

    @Test
    void theTestsRunPoisoned() {
        assertTrue(Scratch.POISON, "the surefire configuration sets -Djcipa.scratch.poison=true");
    }

    @Test
    void recycledStorageGoesToTheNextUnfilledOfItsSizeAndTheOldTensorCannotBeRead() {
        Tensor t = Tensor.zeros(DType.F32, BIG);
        float[] storage = t.storageFloats();
        long before = Tensor.recycledCount();
        try (var ng = Autograd.noGrad()) {
            Tensor.recycle(t);
        }
        assertEquals(before + 1, Tensor.recycledCount());
        assertThrows(IllegalStateException.class, t::floats);
        assertThrows(IllegalStateException.class, t::storageFloats);
        Tensor.recycle(t);                                                   // a second recycle does nothing
        assertEquals(before + 1, Tensor.recycledCount());
        Tensor next = Tensor.unfilled(2, BIG / 2);
        assertSame(storage, next.storageFloats());
        for (float v : next.floats()) assertTrue(Float.isNaN(v), "poisoned: an element a kernel leaves unwritten shows");
    }

    @Test
    void storageRecycledThroughTwoViewsIsHandedOutOnce() {
        Tensor base = Tensor.zeros(DType.F32, 5 * BIG), view = base.reshape(5, BIG);     // both contiguous from offset 0
        assertTrue(base.sharesStorageWith(view));
        try (var ng = Autograd.noGrad()) {
            Tensor.recycle(base);
            Tensor.recycle(view);
        }
        Tensor first = Tensor.unfilled(5 * BIG), second = Tensor.unfilled(5 * BIG);
        assertTrue(first.sharesStorageWith(base));
        assertFalse(second.sharesStorageWith(first), "one storage array never goes to two tensors");
    }

    @Test
    void onlyOwnedContiguousInferenceIntermediatesAreRecycled() {
        long before = Tensor.recycledCount();
        Tensor recorded = Tensor.zeros(DType.F32, BIG);
        Tensor.recycle(recorded);                                            // autograd on: the graph may hold it
        Tensor view = Tensor.zeros(DType.F32, 2, BIG).slice(0, 1, 2);
        Tensor transposed = Tensor.zeros(DType.F32, 4, BIG / 4).transpose(0, 1);
        Tensor small = Tensor.zeros(DType.F32, 1000);
        Tensor leaf = Tensor.zeros(DType.F32, BIG).requiresGrad(true);
        Tensor f64 = Tensor.zeros(DType.F64, BIG);
        try (var ng = Autograd.noGrad()) {
            for (Tensor t : new Tensor[] {view, transposed, small, leaf, f64}) Tensor.recycle(t);
        }
        assertEquals(before, Tensor.recycledCount());
        for (Tensor t : new Tensor[] {recorded, view, transposed, small, leaf}) t.floats();  // all still readable
    }

    @Test
    void recyclingOffKeepsEverything() {
        boolean was = Tensor.recycling();
        try (var ng = Autograd.noGrad()) {
            Tensor.recycling(false);
            Tensor t = Tensor.zeros(DType.F32, BIG);
            long before = Tensor.recycledCount();
            Tensor.recycle(t);
            assertEquals(before, Tensor.recycledCount());
            t.floats();
            assertNotSame(t.storageFloats(), Tensor.unfilled(BIG).storageFloats());
        } finally {
            Tensor.recycling(was);
        }
    }

    @Test
    void opsWithUnfilledOutputsGiveTheSameBitsOnRecycledStorage() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor x = f32(r, 1, 64, 64, 48), w = f32(r, 96, 48), weight = f32(r, 48), bias = f32(r, 48);
        Tensor conv = f32(r, 24, 48, 3, 3), nchw = x.permute(0, 3, 1, 2);
        java.util.function.Supplier<Tensor[]> run = () -> new Tensor[] {
            Linear.linear(x, w, null), Norms.layerNorm(x, new int[] {48}, weight, bias, 1e-5),
            Conv2dOp.apply(nchw.contiguous(), conv, null, 1, 1, 1), nchw.contiguous(),
            Interpolate.bilinearScaleChannelsLast(x, 2.0, 2.0)};
        try (var ng = Autograd.noGrad()) {
            Tensor[] fresh = run.get();
            int[][] expected = new int[fresh.length][];
            for (int i = 0; i < fresh.length; i++) expected[i] = Bits.of(fresh[i]);
            long before = Tensor.recycledCount();
            for (Tensor t : fresh) Tensor.recycle(t);                       // each op's next output gets NaN-filled storage
            assertEquals(before + fresh.length, Tensor.recycledCount());
            Tensor[] again = run.get();
            for (int i = 0; i < again.length; i++) assertArrayEquals(expected[i], Bits.of(again[i]), "output " + i);
        }
    }
}
