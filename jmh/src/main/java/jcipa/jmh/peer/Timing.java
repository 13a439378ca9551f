package jcipa.jmh.peer;

import java.util.Arrays;

/** Wall-clock medians: a few untimed warm-up runs, then timed repeats. */
final class Timing {
    private Timing() {}

    /** A run of the op under test; {@code after} is untimed clean-up of what the run made. */
    interface Run { Object call() throws Exception; }
    interface After { void accept(Object result) throws Exception; }

    /** Median seconds of {@code repeats} runs after {@code warmup} runs. */
    static double median(int warmup, int repeats, Run run, After after) throws Exception {
        for (int i = 0; i < warmup; i++) after.accept(run.call());
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            Object r = run.call();
            s[i] = (System.nanoTime() - t0) * 1e-9;
            after.accept(r);
        }
        Arrays.sort(s);
        return repeats % 2 == 1 ? s[repeats / 2] : 0.5 * (s[repeats / 2 - 1] + s[repeats / 2]);
    }
}
