package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jcipa.bench.Timing;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void forwardOnASmallModelEndsWithTheMedianLine() {
        String[] r = InfoCommandTest.run("bench", "forward", "--config", "tiny", "--size", "128", "--repeat", "1", "--warmup", "0");
        assertEquals("0", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("median_seconds [0-9.Ee+-]+"), last);
        assertTrue(Double.parseDouble(last.split(" ")[1]) > 0, last);
        assertTrue(r[1].contains("forward") && r[1].contains("median") && r[1].contains("process CPU"), r[1]);
        assertTrue(r[1].contains("peak memory: heap pools"), r[1]);
    }

    @Test
    void unknownWorkloadIsRejected() {
        String[] r = InfoCommandTest.run("bench", "backward");
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("backward"), r[2]);
    }

    @Test
    void aTrainingBatchTooSmallForBatchNormIsRefusedWithTheOptionToChange() {
        String[] r = InfoCommandTest.run("bench", "train", "--size", "128", "--repeat", "1", "--warmup", "0");
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("bench train: batch size 1 at 128x128") && r[2].contains("use --batch 2 or more"), r[2]);
        assertTrue(!r[2].contains("\tat "), "no stack trace: " + r[2]);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Timing.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, Timing.median(new double[] {7}));
    }
}
