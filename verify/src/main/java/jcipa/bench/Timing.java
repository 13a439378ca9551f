package jcipa.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

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
