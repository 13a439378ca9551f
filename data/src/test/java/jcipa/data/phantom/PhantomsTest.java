package jcipa.data.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.data.Pclt20k;
import jcipa.data.Sample;

class PhantomsTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedSameBitsOtherSeedOtherImages() {
        for (int i : new int[] {0, 7, 13}) {
            Sample a = PhantomSet.slice(5, 20, 64, i).sample(), b = PhantomSet.slice(5, 20, 64, i).sample();
            assertArrayEquals(a.ct().pixels(), b.ct().pixels());
            assertArrayEquals(a.pet().pixels(), b.pet().pixels());
            assertArrayEquals(a.mask().pixels(), b.mask().pixels());
            assertFalse(java.util.Arrays.equals(a.pet().pixels(), PhantomSet.slice(6, 20, 64, i).sample().pet().pixels()));
        }
    }

    /** Masks are non-empty exactly where tumours were placed; their PET uptake stands above everything around. */
    @Test
    void tumoursAreMaskedAndBrightInPet() {
        int withTumour = 0, without = 0;
        for (int i = 0; i < 60; i++) {
            PhantomSlice.Rendered r = PhantomSet.slice(11, 60, 96, i);
            Sample s = r.sample();
            int inside = 0;
            double petIn = 0, petOut = 0, ctLungTumour = 0;
            int out = 0;
            for (int p = 0; p < s.mask().pixels().length; p++) {
                boolean m = s.mask().pixels()[p] != 0;
                assertTrue(s.mask().pixels()[p] == 0 || (s.mask().pixels()[p] & 0xff) == 255);
                int pet = s.pet().pixels()[p] & 0xff;
                if (m) {
                    inside++;
                    petIn += pet;
                } else if ((s.ct().pixels()[p] & 0xff) > 50) { // body outside the tumours
                    out++;
                    petOut += pet;
                }
            }
            if (r.tumours() == 0) {
                assertEquals(0, inside, "slice " + i + " has no tumour but a mask");
                without++;
                continue;
            }
            withTumour++;
            assertTrue(inside >= 10 * r.tumours(), "slice " + i + ": " + inside + " mask pixels for " + r.tumours() + " tumours");
            assertTrue(petIn / inside > 2.5 * petOut / out, "slice " + i + ": tumour PET " + petIn / inside + " vs body " + petOut / out);
        }
        assertTrue(withTumour > 40 && without > 0, withTumour + " with tumours, " + without + " without");
    }

    @Test
    void setIsInTheLayoutWithDisjointSplitsByCase() throws IOException {
        Path out = dir.resolve("set");
        PhantomSet.Summary sum = PhantomSet.write(out, 47, 32, 3, false, 2);
        assertEquals(47, sum.slices());
        assertEquals(5, sum.cases());
        Pclt20k ds = Pclt20k.open(out);
        List<String> train = ds.split("train"), test = ds.split("test");
        assertEquals(47, train.size() + test.size());
        assertEquals(1, test.stream().map(Pclt20k::caseOf).distinct().count());
        Set<String> trainCases = new HashSet<>(train.stream().map(Pclt20k::caseOf).toList());
        for (String t : test) assertFalse(trainCases.contains(Pclt20k.caseOf(t)), t + " shares its case with train");
        assertEquals(List.of(), ds.checkSplits());
        assertTrue(Files.isRegularFile(out.resolve("P0000/P0000_000_CT.png")));
        Sample s = ds.load(train.get(0));
        assertEquals(32, s.width());
        assertArrayEquals(PhantomSet.slice(3, 47, 32, PhantomSet.SLICES_PER_CASE * Integer.parseInt(train.get(0).substring(1, 5))
                + Integer.parseInt(train.get(0).substring(6))).sample().pet().pixels(), s.pet().pixels());
    }

    @Test
    void thirtyCasesSplitEightyTwenty() {
        boolean[] test = PhantomSet.testCases(1, 30);
        int n = 0;
        for (boolean b : test) n += b ? 1 : 0;
        assertEquals(6, n);
    }

    @Test
    void refusesToWriteIntoAFullDirectoryWithoutOverwrite() throws IOException {
        Path out = dir.resolve("set");
        PhantomSet.write(out, 3, 16, 1, false, 1);
        byte[] before = Files.readAllBytes(out.resolve("P0000/P0000_000_PET.png"));
        IOException e = assertThrows(IOException.class, () -> PhantomSet.write(out, 3, 16, 2, false, 1));
        assertTrue(e.getMessage().contains("nothing was written") && e.getMessage().contains("--overwrite"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("P0000/P0000_000_PET.png")));
        PhantomSet.write(out, 3, 16, 2, true, 1);
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("P0000/P0000_000_PET.png"))));
    }
}
