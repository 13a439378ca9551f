package jcipa.jmh.peer;

import java.util.Arrays;

/**
 * Wall-clock medians of two competing runs: warm-up runs of each, then timed runs taken in
 * alternation (ours, theirs, ours, ...), so that both sides meet the same load from whatever else
 * shares the machine. Each run starts {@link #SETTLE_MS} ms after the one before: libtorch's OpenMP
 * threads spin-wait for a while after each op, and run against ours if ours starts at once (ours then
 * took up to twice as long in the median; with {@code OMP_WAIT_POLICY=PASSIVE} or a pause, as long as
 * its fastest runs, and PyTorch's own times did not change).
 */
final class Timing {
    private Timing() {}

    /** Pause before each run, so that neither side's idle threads still spin. */
    static final int SETTLE_MS = 20;

    /** A run of the op under test. */
    interface Run { Object call() throws Exception; }
    /** Untimed clean-up of what a run made. */
    interface After { void accept(Object result) throws Exception; }

    /** One side: what to run and how to clean up after it. */
    record Side(Run run, After after) {}

    /**
     * Seconds {median a, median b, fastest a, fastest b} of {@code repeats} alternating runs after
     * {@code warmup} runs of each.
     */
    static double[] medians(int warmup, int repeats, Side a, Side b) throws Exception {
        for (int i = 0; i < warmup; i++) {
            a.after().accept(a.run().call());
            b.after().accept(b.run().call());
        }
        double[] sa = new double[repeats], sb = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            sa[i] = timed(a);
            sb[i] = timed(b);
        }
        return new double[] {median(sa), median(sb), Arrays.stream(sa).min().orElseThrow(), Arrays.stream(sb).min().orElseThrow()};
    }

    private static double timed(Side s) throws Exception {
        Thread.sleep(SETTLE_MS);
        long t0 = System.nanoTime();
        Object r = s.run().call();
        double seconds = (System.nanoTime() - t0) * 1e-9;
        s.after().accept(r);
        return seconds;
    }

    static double median(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }
}
