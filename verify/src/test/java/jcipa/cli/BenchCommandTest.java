package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jcipa.bench.Timing;
import jcipa.tensor.parallel.Parallel;
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
    void againstOneThreadPrintsBothMediansAndTheSpeedupAndEndsWithTheChosenCountsMedian() {
        String[] r = InfoCommandTest.run("bench", "scan", "--threads", "2", "--against-one-thread", "--repeat", "3", "--warmup", "1");
        assertEquals("0", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        String many = lines.stream().filter(l -> l.startsWith("scan forward D=768 N=16 L=16384, 2 threads")).findFirst().orElseThrow(() -> new AssertionError(r[1]));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("scan forward D=768 N=16 L=16384, 1 thread ")), r[1]);
        assertTrue(lines.stream().anyMatch(l -> l.matches("speedup of 2 threads over 1: [0-9.]+x \\(ratio of the medians; per round [0-9.]+-[0-9.]+x, median [0-9.]+x\\)")), r[1]);
        String median = many.replaceAll(".* median ([0-9.]+) s .*", "$1");
        String last = lines.get(lines.size() - 1);
        double printed = Double.parseDouble(median);                                   // printed to 4 decimals below 1 s, 3 above
        assertEquals(printed, Double.parseDouble(last.split(" ")[1]), printed >= 1 ? 5.001e-4 : 5.001e-5, last + " after " + many);
    }

    @Test
    void againstOneThreadRefusesOpsAndProfile() {
        for (String[] args : new String[][] {{"bench", "ops", "--against-one-thread"}, {"bench", "forward", "--against-one-thread", "--profile"}}) {
            String[] r = InfoCommandTest.run(args);
            assertNotEquals("0", r[0], String.join(" ", args));
            assertTrue(r[2].contains("--against-one-thread times forward, train or scan, without --profile"), r[2]);
        }
    }

    @Test
    void runsAgainstOneThreadAlternateTheCountsRoundByRoundAndLeaveTheChosenOne() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(3);
            List<Integer> seen = new java.util.ArrayList<>();
            Timing.Runs[] both = Timing.againstOneThread("x", 2, 3, 3, () -> seen.add(Parallel.threads()));
            assertEquals(List.of(3, 1, 3, 1, 1, 3, 3, 1, 1, 3), seen, "warm-up N, 1 twice; then rounds (1, N), (N, 1), (1, N)");
            assertEquals(3, Parallel.threads());
            assertEquals("x, 1 thread", both[0].name());
            assertEquals("x, 3 threads", both[1].name());
            assertEquals(3, both[0].seconds().length);
        } finally {
            Parallel.setThreads(before);
        }
        Timing.Runs one = new Timing.Runs("a", new double[] {2.0, 1.8, 2.2}, new double[3]), two = new Timing.Runs("b", new double[] {1.0, 1.0, 1.1}, new double[3]);
        assertEquals("speedup of 2 threads over 1: 2.00x (ratio of the medians; per round 1.80-2.00x, median 2.00x)", Timing.speedupLine(one, two, 2));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Timing.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, Timing.median(new double[] {7}));
    }
}
