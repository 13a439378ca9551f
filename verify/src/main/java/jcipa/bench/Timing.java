package jcipa.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import jcipa.tensor.parallel.Parallel;

/** Wall times of repeated runs: warm-up runs are discarded, the median of the rest is the figure. */
public final class Timing {
    private Timing() {}

    /** Seconds of each measured run, in run order. */
    public record Runs(String name, double[] seconds, double[] cpuSeconds) {
        public double median() { return Timing.median(seconds); }

        /** Median process CPU time of a run (all threads, GC included): on a shared machine it shows what wall time hides. */
        public double cpuMedian() { return Timing.median(cpuSeconds); }

        public double min() { return Arrays.stream(seconds).min().orElse(Double.NaN); }

        /** "name: median 1.234 s (min 1.200, runs 1.3 1.2 1.234)". */
        public String line() {
            StringBuilder sb = new StringBuilder();
            for (double s : seconds) sb.append(sb.isEmpty() ? "" : " ").append(fmt(s));
            return String.format("%-28s median %s s  (min %s, runs %s; process CPU median %s s)", name, fmt(median()), fmt(min()), sb,
                    fmt(cpuMedian()));
        }
    }

    /** Runs body warmup times untimed, then repeat times timed. */
    public static Runs measure(String name, int warmup, int repeat, Runnable body) {
        for (int i = 0; i < warmup; i++) body.run();
        double[] wall = new double[repeat], cpu = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long c0 = processCpuNanos(), t0 = System.nanoTime();
            body.run();
            wall[i] = (System.nanoTime() - t0) * 1e-9;
            cpu[i] = (processCpuNanos() - c0) * 1e-9;
        }
        return new Runs(name, wall, cpu);
    }

    /**
     * The same body on one thread and on {@code threads}, taken in turn in this JVM: warm-up runs on both thread counts,
     * then {@code repeat} rounds of one run each, the order swapped every round (1, N, then N, 1, ...), so that both
     * counts meet the same compiled code, heap and load from whatever else shares the machine (two invocations, one
     * per count, also compare two JITs and two phases of a shared VM). Returns {1 thread, {@code threads}}; leaves
     * {@code threads} set.
     */
    public static Runs[] againstOneThread(String name, int warmup, int repeat, int threads, Runnable body) {
        int[] counts = {1, threads};
        double[][] wall = new double[2][repeat], cpu = new double[2][repeat];
        try {
            for (int i = 0; i < warmup; i++)
                for (int side = 1; side >= 0; side--) {                      // the chosen count, then one thread
                    Parallel.setThreads(counts[side]);
                    body.run();
                }
            for (int i = 0; i < repeat; i++)
                for (int j = 0; j < 2; j++) {
                    int side = (i + j) % 2;
                    Parallel.setThreads(counts[side]);
                    long c0 = processCpuNanos(), t0 = System.nanoTime();
                    body.run();
                    wall[side][i] = (System.nanoTime() - t0) * 1e-9;
                    cpu[side][i] = (processCpuNanos() - c0) * 1e-9;
                }
        } finally {
            Parallel.setThreads(threads);
        }
        return new Runs[] {new Runs(name + ", 1 thread", wall[0], cpu[0]), new Runs(name + ", " + threads + (threads == 1 ? " thread" : " threads"), wall[1], cpu[1])};
    }

    /** "speedup of N threads over 1: 1.84x (ratio of the medians; per round 1.80-1.89x, median 1.85x)". */
    public static String speedupLine(Runs one, Runs many, int threads) {
        double[] ratio = new double[one.seconds().length];
        for (int i = 0; i < ratio.length; i++) ratio[i] = one.seconds()[i] / many.seconds()[i];
        return String.format(java.util.Locale.ROOT, "speedup of %d %s over 1: %.2fx (ratio of the medians; per round %.2f-%.2fx, median %.2fx)",
                threads, threads == 1 ? "thread" : "threads", one.median() / many.median(), Arrays.stream(ratio).min().orElse(Double.NaN), Arrays.stream(ratio).max().orElse(Double.NaN),
                median(ratio));
    }

    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0L;
    }

    /** The median (mean of the two middle values for an even count). */
    public static double median(double[] x) {
        if (x.length == 0) return Double.NaN;
        double[] s = x.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    static String fmt(double seconds) {
        return seconds >= 1 ? String.format("%.3f", seconds) : String.format("%.4f", seconds);
    }
}
