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
 * <p>In a turn the side first runs the op untimed, back to back, for at least {@link #WARM_MS} ms, then the timed
 * run follows at once, as an op in a model follows others: after the pause, a worker thread woken by the caller
 * may be put on the caller's virtual CPU of this small VM, the other one having gone idle, and the two then share
 * one CPU until the kernel's load balancing moves one (seen with {@code sched_getcpu} on the 2-core host, on
 * 2026-11-28: 2.4–3.6 ms for the same parallel loop when the helper ran on the other CPU, 4.6–5.4 ms when on the
 * caller's). One untimed run (2–3 ms for a convolution) often ended before that (our dense 3×3 convolution 3.4 ms
 * in the median, 2.3 ms back to back); 20 ms of runs covered it on both sides. Ops whose warm-up runs take
 * longer than {@link #WAKE_LIMIT_S} on either side (the per-step scan in PyTorch ops) are timed without those
 * untimed runs: waking is lost in them, and the runs would double the command's time.
 */
final class Timing {
    private Timing() {}

    /** Pause before each run, so that neither side's idle threads still spin. */
    static final int SETTLE_MS = 20;

    /** How long a side runs the op untimed, back to back, before each timed run. */
    static final int WARM_MS = 20;

    /** Ops slower than this (seconds, in warm-up) are timed without the untimed runs before each timed one. */
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
        if (wake) {                                                  // untimed: wakes the side's threads and CPUs
            long until = System.nanoTime() + WARM_MS * 1_000_000L;
            do s.after().accept(s.run().call()); while (System.nanoTime() < until);
        }
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
