package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
    @TempDir
    static Path root;
    static List<String> names;
    static Pclt20k ds;

    @BeforeAll
    static void writeSet() throws IOException {
        names = TestSets.randomSet(root, 11, 24, 7);
        ds = Pclt20k.open(root);
    }

    private static List<Batch> epoch(int batch, boolean shuffle, boolean augment, boolean dropLast, long seed, int epoch, int start, int threads) {
        List<Batch> out = new ArrayList<>();
        try (Loader l = new Loader(ds, names, batch, shuffle, augment, dropLast, seed, epoch, start, threads)) {
            while (l.hasNext()) out.add(l.next());
        }
        return out;
    }

    private static void assertSame(List<Batch> a, List<Batch> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).names(), b.get(i).names());
            assertArrayEquals(a.get(i).ct(), b.get(i).ct());
            assertArrayEquals(a.get(i).pet(), b.get(i).pet());
            assertArrayEquals(a.get(i).mask(), b.get(i).mask());
        }
    }

    @Test
    void batchesPerEpochFollowDropLast() {
        assertEquals(2, Loader.batchesPerEpoch(11, 4, true));
        assertEquals(3, Loader.batchesPerEpoch(11, 4, false));
        assertEquals(0, Loader.batchesPerEpoch(3, 4, true));
        List<Batch> kept = epoch(4, false, false, false, 1, 0, 0, 2);
        assertEquals(List.of(4, 4, 3), kept.stream().map(Batch::count).toList());
        assertEquals(List.of(4, 4), epoch(4, true, false, true, 1, 0, 0, 2).stream().map(Batch::count).toList());
    }

    @Test
    void unshuffledUnaugmentedIsTheListAsStored() throws IOException {
        List<Batch> all = epoch(3, false, false, false, 1, 0, 0, 2);
        List<String> seen = new ArrayList<>();
        for (Batch b : all) seen.addAll(b.names());
        assertEquals(names, seen);
        Sample s = ds.load(names.get(4));
        Batch b = all.get(1);
        assertEquals(24, b.size());
        float[] want = Preprocess.image(s.pet());
        assertArrayEquals(want, java.util.Arrays.copyOfRange(b.pet(), 3 * 24 * 24, 6 * 24 * 24));
        assertArrayEquals(Preprocess.mask(s.mask()), java.util.Arrays.copyOfRange(b.mask(), 24 * 24, 2 * 24 * 24));
    }

    @Test
    void sameResultForAnyThreadCount() {
        List<Batch> one = epoch(3, true, true, true, 42, 5, 0, 1);
        assertSame(one, epoch(3, true, true, true, 42, 5, 0, 3));
        assertSame(one, epoch(3, true, true, true, 42, 5, 0, 8));
    }

    @Test
    void resumingMidEpochGivesTheRemainingBatches() {
        List<Batch> full = epoch(2, true, true, false, 9, 3, 0, 2);
        assertSame(full.subList(3, full.size()), epoch(2, true, true, false, 9, 3, 3, 2));
        try (Loader l = new Loader(ds, names, 2, true, true, false, 9, 3, 0, 2)) {
            l.next();
            l.skip(2);
            assertEquals(3, l.position());
            List<Batch> rest = new ArrayList<>();
            while (l.hasNext()) rest.add(l.next());
            assertSame(full.subList(3, full.size()), rest);
        }
    }

    @Test
    void epochsArePermutationsThatDifferAndRepeat() {
        List<String> e0 = Loader.shuffled(names, 3, 0), e1 = Loader.shuffled(names, 3, 1);
        assertEquals(new HashSet<>(names), new HashSet<>(e0));
        assertEquals(names.size(), e0.size());
        assertNotEquals(e0, e1);
        assertEquals(e0, Loader.shuffled(names, 3, 0));
        assertNotEquals(e0, Loader.shuffled(names, 4, 0));
        assertNotEquals(Loader.sampleSeed(1, 0, 0), Loader.sampleSeed(1, 0, 1));
        assertNotEquals(Loader.sampleSeed(1, 0, 0), Loader.sampleSeed(1, 1, 0));
        assertNotEquals(epoch(4, true, true, true, 1, 0, 0, 2).get(0).names(), epoch(4, true, true, true, 1, 1, 0, 2).get(0).names());
    }

    @Test
    void augmentationIsThatOfTheSeedOfEachPosition() throws IOException {
        try (Loader l = new Loader(ds, names, 4, true, true, true, 11, 2, 0, 2)) {
            Batch b = l.next();
            for (int i = 0; i < 4; i++) {
                Sample want = Augmentation.apply(ds.load(l.order().get(i)), Loader.sampleSeed(11, 2, i));
                assertArrayEquals(Preprocess.image(want.ct()), java.util.Arrays.copyOfRange(b.ct(), i * 3 * 576, (i + 1) * 3 * 576));
            }
        }
    }

    @Test
    void aMissingFileSurfacesAsAnErrorNamingIt() throws IOException {
        Path other = Files.createTempDirectory(root, "bad");
        TestSets.randomSet(other, 2, 8, 1);
        Pclt20k bad = Pclt20k.open(other);
        Files.delete(bad.ct("case1_1"));
        try (Loader l = new Loader(bad, List.of("case0_0", "case1_1"), 1, false, false, false, 0, 0, 0, 1)) {
            l.next();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, l::next);
            assertTrue(e.getMessage().contains("case1_1_CT.png"), e.getMessage());
            assertFalse(l.hasNext());
        }
    }
}
