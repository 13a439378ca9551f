package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.nn.Trace;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * At inference the blocks give their intermediates' storage back (Tensor.recycle) for the next op outputs.
 * The mini CIPA at 128×128 (its stage-0 SS2D maps reach the recycling threshold) gives the same logits bits with
 * recycling on, twice in a row (the second pass on storage the first gave back, NaN-poisoned as the tests
 * run), as with it off; with a trace sink installed (which may hold module outputs) nothing is recycled.
 */
class RecyclingTest {

    private static int[] bits(Tensor t) { return ModuleTesting.bits(t); }

    @Test
    void logitsAreTheSameBitsWithAndWithoutRecycling() {
        Cipa model = MiniGolden.model();
        Tensor[] in = MiniGolden.inputs();
        Tensor ct = in[0], pet = in[1];
        boolean was = Tensor.recycling();
        try {
            Tensor.recycling(false);
            int[] expected = bits(Autograd.noGrad(() -> model.forward(ct, pet)));
            Tensor.recycling(true);
            long before = Tensor.recycledCount();
            int[] first = bits(Autograd.noGrad(() -> model.forward(ct, pet)));
            long recycled = Tensor.recycledCount() - before;
            int[] second = bits(Autograd.noGrad(() -> model.forward(ct, pet)));
            assertTrue(recycled >= 20, "the pass recycled " + recycled + " intermediates");
            assertArrayEquals(expected, first);
            assertArrayEquals(expected, second);
            long traced = Tensor.recycledCount();
            try (var sink = Trace.start(model, (path, call, inputs, outputs) -> { })) {
                assertArrayEquals(expected, bits(Autograd.noGrad(() -> model.forward(ct, pet))));
            }
            assertEquals(traced, Tensor.recycledCount(), "nothing is recycled while a trace sink may hold outputs");
        } finally {
            Tensor.recycling(was);
        }
    }
}
