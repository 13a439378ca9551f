package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pclt20kTest {
    @TempDir
    Path root;

    @Test
    void layoutPutsSlicesInTheFolderOfTheirCase() throws IOException {
        Pclt20k ds = Pclt20k.open(root);
        assertEquals(root.resolve("0001/0001_12_CT.png"), ds.ct("0001_12"));
        assertEquals(root.resolve("0001/0001_12_PET.png"), ds.pet("0001_12"));
        assertEquals(root.resolve("0001/0001_12_mask.png"), ds.mask("0001_12"));
        assertEquals("abc", Pclt20k.caseOf("abc"));
    }

    @Test
    void splitsAreReadLineByLineAndAMissingSplitIsAnError() throws IOException {
        Files.writeString(root.resolve("train.txt"), "a_1\r\nb_2\n\n");
        Pclt20k ds = Pclt20k.open(root);
        assertEquals(List.of("a_1", "b_2"), ds.split("train"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ds.split("test"));
        assertTrue(e.getMessage().contains("test.txt"), e.getMessage());
    }

    @Test
    void loadReadsAllThreeAndToleratesAMissingMask() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        Sample s = new Sample("c1_5", TestSets.random(6, 4, r), TestSets.random(6, 4, r), null);
        TestSets.write(root, s);
        Sample back = Pclt20k.open(root).load("c1_5");
        assertTrue(java.util.Arrays.equals(s.ct().pixels(), back.ct().pixels()));
        assertNull(back.mask());
        IOException e = assertThrows(IOException.class, () -> Pclt20k.open(root).loadWithMask("c1_5"));
        assertTrue(e.getMessage().contains("c1_5_mask.png"), e.getMessage());
    }

    @Test
    void checkListsEveryBadSliceWithItsReason() throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        TestSets.write(root, new Sample("ok_1", TestSets.random(8, 8, r), TestSets.random(8, 8, r), TestSets.random(8, 8, r)));
        TestSets.write(root, new Sample("ok_2", TestSets.random(8, 8, r), TestSets.random(8, 8, r), null)); // no mask
        TestSets.write(root, new Sample("sz_1", TestSets.random(8, 8, r), TestSets.random(8, 8, r), null));
        Png8.write(Pclt20k.open(root).mask("sz_1"), TestSets.random(8, 9, r)); // mask of another size
        Pclt20k ds = Pclt20k.open(root);
        List<Problem> p = ds.check(List.of("ok_1", "ok_2", "sz_1", "gone_3", "ok_1"));
        assertEquals(4, p.size(), p.toString());
        assertEquals("ok_2", p.get(0).name());
        assertTrue(p.get(0).reason().contains("ok_2_mask.png") && p.get(0).reason().contains("missing"), p.get(0).reason());
        assertTrue(p.get(1).reason().contains("differ in size") && p.get(1).reason().contains("8x9"), p.get(1).reason());
        assertTrue(p.get(2).reason().contains("case folder"), p.get(2).reason());
        assertTrue(p.get(3).reason().contains("more than once"), p.get(3).reason());
        IOException e = assertThrows(IOException.class, () -> ds.load("sz_1"));
        assertTrue(e.getMessage().contains("differ in size"), e.getMessage());
    }

    @Test
    void checkSplitsFindsAbsentCasesMissingSplitsAndOverlap() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        TestSets.write(root, new Sample("a_1", TestSets.random(4, 4, r), TestSets.random(4, 4, r), TestSets.random(4, 4, r)));
        Files.writeString(root.resolve("train.txt"), "a_1\nzz_9\n");
        Pclt20k ds = Pclt20k.open(root);
        List<Problem> p = ds.checkSplits();
        assertTrue(p.stream().anyMatch(q -> q.name().equals("zz_9") && q.reason().contains("train.txt")), p.toString());
        assertTrue(p.stream().anyMatch(q -> q.name().equals("test.txt") && q.reason().contains("missing")), p.toString());
        Files.writeString(root.resolve("test.txt"), "a_1\n");
        assertTrue(ds.checkSplits().stream().anyMatch(q -> q.name().equals("a_1") && q.reason().contains("both")));
    }

    @Test
    void openRefusesAMissingRoot() {
        assertThrows(NoSuchFileException.class, () -> Pclt20k.open(root.resolve("nope")));
    }
}
