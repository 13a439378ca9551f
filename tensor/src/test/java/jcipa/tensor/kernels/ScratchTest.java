package jcipa.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scratch hands an array back only under its own key and length, never to two holders, within its byte cap. */
class ScratchTest {

    @Test
    void anArrayGivenBackIsHandedOutAgainUnderItsKeyOnly() {
        float[] a = Scratch.take("ScratchTest reuse", 1000);
        assertArrayEquals(new float[1000], a, "a new array is zero");
        a[3] = 7f;
        Scratch.give("ScratchTest reuse", a);
        assertNotSame(a, Scratch.take("ScratchTest other key", 1000), "another key gets a new array");
        assertNotSame(a, Scratch.take("ScratchTest reuse", 999), "another length gets a new array");
        float[] again = Scratch.take("ScratchTest reuse", 1000);
        assertSame(a, again, "the same key and length get the array back");
        assertEquals(7f, again[3], "with what its last holder left in it");
        assertNotSame(again, Scratch.take("ScratchTest reuse", 1000), "a key taken twice at once: a new array the second time");
    }

    @Test
    void takeAnyHandsOutNaNsWhenTheSuitePoisons() {
        float[] a = Scratch.takeAny("ScratchTest any", 40);
        Scratch.give("ScratchTest any", a);
        float[] again = Scratch.takeAny("ScratchTest any", 40);
        assertSame(a, again);
        if (Scratch.POISON) for (float v : again) assertTrue(Float.isNaN(v), "poisoned");
    }

    @Test
    void keptBytesStayUnderTheCapAndOversizedArraysAreNotKept() {
        int quarter = (int) (Scratch.CAP_BYTES / 4 / 4);
        for (int i = 0; i < 9; i++) Scratch.give("ScratchTest cap " + i, new float[quarter]);
        assertTrue(Scratch.keptBytes() <= Scratch.CAP_BYTES, "kept " + Scratch.keptBytes());
        float[] recent = Scratch.take("ScratchTest cap 8", quarter);
        Scratch.give("ScratchTest cap 8", recent);
        assertNotSame(recent, Scratch.take("ScratchTest cap 0", quarter), "the least recently used key was dropped");
        float[] huge = new float[(int) (Scratch.CAP_BYTES / 4) + 1];
        Scratch.give("ScratchTest huge", huge);
        assertNotSame(huge, Scratch.take("ScratchTest huge", huge.length), "an array over the cap is not kept");
        assertTrue(Scratch.keptBytes() <= Scratch.CAP_BYTES, "kept " + Scratch.keptBytes());
    }
}
