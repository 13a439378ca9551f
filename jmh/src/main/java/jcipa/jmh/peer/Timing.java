package jcipa.jmh.peer;

import java.util.Arrays;

/**
 * Wall-clock medians of two competing runs: warm-up runs of each, then timed runs taken in
 * alternation (ours, theirs, ours, ...), so that both sides meet the same load from whatever else
 * shares the machine. Each turn starts {@link #SETTLE_MS} ms after the one before: libtorch's OpenMP
 * threads spin-wait for a while after each op, and run against ours if ours starts at once (ours then
 * took up to twice as long in the median; with {@code OMP_WAIT_POLICY=PASSIVE} or a pause, as long as
 * its fastest runs, and PyTorch's own times did not change).
 *
 * <p>In a turn the side first runs the op once untimed, then the timed run follows at once, as an op in
 * a model follows the one before: after the pause both virtual CPUs of a small VM may have gone idle, and
 * the first op then also pays for waking them and the side's worker threads (on the 2-core host of
 * 2026-11-27 our dense 3×3 convolution took 5.9 ms in the median after 20 ms of sleep, 2.6–2.8 ms back to
 * back; libtorch's workers, still spinning from the run before, hid that on its side). Ops whose warm-up
 * runs take longer than {@link #WAKE_LIMIT_S} on either side (the per-step scan in PyTorch ops) are
 * timed without that untimed run: waking is lost in them, and the run would double the command's time.
 */
final class Timing {
    private Timing() {}

    /** Pause before each run, so that neither side's idle threads still spin. */
    static final int SETTLE_MS = 20;

    /** Ops slower than this (seconds, in warm-up) are timed without the untimed run before each timed one. */
    static final double WAKE_LIMIT_S = 0.2;

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
        double slowest = 0;
        for (int i = 0; i < warmup; i++) {
            long t0 = System.nanoTime();
            a.after().accept(a.run().call());
            long t1 = System.nanoTime();
            b.after().accept(b.run().call());
            slowest = Math.max(slowest, Math.max(t1 - t0, System.nanoTime() - t1) * 1e-9);
        }
        boolean wake = slowest <= WAKE_LIMIT_S;
        double[] sa = new double[repeats], sb = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            sa[i] = timed(a, wake);
            sb[i] = timed(b, wake);
        }
        return new double[] {median(sa), median(sb), Arrays.stream(sa).min().orElseThrow(), Arrays.stream(sb).min().orElseThrow()};
    }

    private static double timed(Side s, boolean wake) throws Exception {
        Thread.sleep(SETTLE_MS);
        if (wake) s.after().accept(s.run().call());                 // untimed: wakes the side's threads and CPUs
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
