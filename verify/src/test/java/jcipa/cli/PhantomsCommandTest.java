package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.data.Pclt20k;

class PhantomsCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesACheckedDataSetAndNeverOverwritesUnasked() throws IOException {
        Path out = dir.resolve("ph");
        String[] r = InfoCommandTest.run("phantoms", "--n", "23", "--size", "32", "--seed", "4", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("wrote 23 phantom slices of 32x32 in 3 cases"), r[1]);
        Pclt20k ds = Pclt20k.open(out);
        assertEquals(23, ds.split("train").size() + ds.split("test").size());
        assertEquals(java.util.List.of(), ds.checkSplits());
        byte[] before = Files.readAllBytes(ds.pet("P0001_004"));

        r = InfoCommandTest.run("phantoms", "--n", "23", "--size", "32", "--seed", "5", "--out", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("nothing was written") && r[2].contains("--overwrite"), r[2]);
        assertArrayEquals(before, Files.readAllBytes(ds.pet("P0001_004")));

        r = InfoCommandTest.run("phantoms", "--n", "23", "--size", "32", "--seed", "4", "--out", out.toString(), "--overwrite");
        assertEquals("0", r[0], r[2]);
        assertArrayEquals(before, Files.readAllBytes(ds.pet("P0001_004")), "same seed, same bits");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals("2", InfoCommandTest.run("phantoms", "--n", "0", "--out", dir.resolve("x").toString())[0]);
        assertEquals("2", InfoCommandTest.run("phantoms", "--size", "4", "--out", dir.resolve("x").toString())[0]);
        assertEquals("2", InfoCommandTest.run("phantoms", "--n", "3")[0]);
    }
}
