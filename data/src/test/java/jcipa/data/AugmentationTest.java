package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AugmentationTest {
    static Sample sample(int side, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Sample("c_" + seed, TestSets.smooth(side, side, r), TestSets.smooth(side, side, r), TestSets.smooth(side, side, r));
    }

    @Test
    void sameSeedGivesTheSameBits() {
        Sample s = sample(64, 1);
        for (long seed = 0; seed < 30; seed++) {
            Sample a = Augmentation.apply(s, seed), b = Augmentation.apply(s, seed);
            assertArrayEquals(a.ct().pixels(), b.ct().pixels());
            assertArrayEquals(a.pet().pixels(), b.pet().pixels());
            assertArrayEquals(a.mask().pixels(), b.mask().pixels());
            assertEquals(Augmentation.draw(seed, 64, 64), Augmentation.draw(seed, 64, 64));
        }
    }

    /** Distinct seeds give distinct draws and, unless both draw nothing, distinct images. */
    @Test
    void differentSeedsGiveDifferentResults() {
        Sample s = sample(64, 2);
        int differ = 0;
        for (long seed = 1; seed <= 40; seed++) {
            var d0 = Augmentation.draw(seed - 1, 64, 64);
            var d1 = Augmentation.draw(seed, 64, 64);
            assertFalse(d0.equals(d1));
            if (!Arrays.equals(Augmentation.apply(s, seed - 1).ct().pixels(), Augmentation.apply(s, seed).ct().pixels())) differ++;
        }
        assertTrue(differ >= 30, differ + " of 40 neighbouring seeds differ");
    }

    @Test
    void drawsStayInTheirRanges() {
        for (long seed = 0; seed < 2000; seed++) {
            var d = Augmentation.draw(seed, 100, 100);
            assertTrue(d.cropRate() >= 0.7 && d.cropRate() < 0.9);
            assertEquals((int) (100 * d.cropRate()), d.cropSide());
            if (d.warp()) {
                assertTrue(d.scale() >= 0.9 && d.scale() < 1.1 && d.aspect() >= 0.9 && d.aspect() < 1.1);
                assertTrue(Math.abs(d.dx()) <= 10 && Math.abs(d.dy()) <= 10);
            } else assertEquals(0, d.dx() | d.dy());
            if (d.crop()) assertTrue(d.cropX() >= 0 && d.cropX() + d.cropSide() <= 100 && d.cropY() >= 0 && d.cropY() + d.cropSide() <= 100);
        }
    }

    @Test
    void outputKeepsTheSizeAndTheName() {
        Sample s = sample(48, 3);
        for (long seed = 0; seed < 20; seed++) {
            Sample a = Augmentation.apply(s, seed);
            assertEquals(48, a.width());
            assertEquals(48, a.height());
            assertEquals(s.name(), a.name());
        }
    }

    @Test
    void aSampleWithoutMaskIsAugmentedToo() {
        Sample s = sample(32, 4);
        Sample noMask = new Sample(s.name(), s.ct(), s.pet(), null);
        for (long seed = 0; seed < 10; seed++)
            assertArrayEquals(Augmentation.apply(s, seed).ct().pixels(), Augmentation.apply(noMask, seed).ct().pixels());
    }
}
