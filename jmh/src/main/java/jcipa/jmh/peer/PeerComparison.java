package jcipa.jmh.peer;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import jcipa.tensor.parallel.Parallel;

/**
 * jcipa against PyTorch on the CPU (through DJL) on the same ops, shapes and data: for each op, warm-up
 * runs, then the median of timed runs on each side (taken in turn), both with the same thread count, and a check
 * that both give the same numbers within float32 rounding (so the same computation is timed).
 *
 * <pre>
 *   ./cipa peer [--threads 2] [--warmup 3] [--repeat 21] [--scan-warmup 1] [--scan-repeat 3] [--scan-lengths 4096,16384]
 * </pre>
 * The agreement check runs each side once more before the warm-up.
 * Prints a table (op, shape, median ms of each side, PyTorch/ours, fastest run of each, relative difference). Exits 1 when
 * a result disagrees with PyTorch's beyond its tolerance.
 */
public final class PeerComparison {
    private PeerComparison() {}

    public static void main(String[] args) throws Exception {
        int threads = 2, warmup = 3, repeats = 21, scanWarmup = 1, scanRepeats = 3;
        int[] scanLengths = {4096, 16384};
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--threads" -> { threads = positive(a, v); i++; }
                case "--warmup" -> { warmup = nonNegative(a, v); i++; }
                case "--repeat" -> { repeats = positive(a, v); i++; }
                case "--scan-warmup" -> { scanWarmup = nonNegative(a, v); i++; }
                case "--scan-repeat" -> { scanRepeats = positive(a, v); i++; }
                case "--scan-lengths" -> {
                    if (v == null) usage("--scan-lengths needs a comma-separated list");
                    scanLengths = Arrays.stream(v.split(",")).mapToInt(s -> positive(a, s.trim())).toArray();
                    i++;
                }
                case "-h", "--help" -> { usage(null); return; }
                default -> usage("unknown option " + a);
            }
        }

        Parallel.setThreads(threads);
        Engine engine = Torch.start(threads);
        System.out.println("# jcipa vs PyTorch (CPU, float32, batch 1), sigma_tiny shapes at 512x512");
        System.out.println("# date " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", " + Runtime.getRuntime().availableProcessors()
                + " cores visible, " + System.getProperty("os.arch") + ", Java " + Runtime.version());
        System.out.println("# cpu " + Machine.cpuModel() + "; load average " + Machine.loadAverage()
                + " (other jobs on the machine make the timings noisy; the min columns are the least disturbed runs)");
        System.out.println("# jcipa: " + Parallel.threads() + " threads; " + Torch.describe(engine));
        System.out.println("# each side: one checked run, " + warmup + " warm-up runs, then the median of " + repeats
                + " runs taken in turn with the other side's, each " + Timing.SETTLE_MS + " ms after the one before and right after "
                + Timing.WARM_MS + " ms of untimed runs of the same op (selective scan: " + scanWarmup + " and " + scanRepeats + ", no untimed runs)");
        System.out.println("# ms columns: medians; ratio = PyTorch / ours of the medians (> 1: ours is faster); min: the fastest run of each side");
        System.out.println("# rel diff = max|ours - PyTorch| / max|PyTorch|, checked against the tolerance in brackets");
        String format = "%-38s %-36s %9s %11s %7s %9s %11s  %s%n";
        System.out.printf(Locale.ROOT, format, "op", "shape", "ours ms", "PyTorch ms", "ratio", "ours min", "PyTorch min", "rel diff");

        List<String> mismatches = new ArrayList<>();
        for (Cases.Factory factory : Cases.all(warmup, repeats, scanWarmup, scanRepeats, scanLengths)) {
            try (NDManager m = engine.newBaseManager()) {
                PeerCase c = factory.make(m);
                double rel = agreement(c);
                boolean same = rel <= c.tolerance();
                if (!same) mismatches.add(c.op() + " " + c.shape() + ": " + rel);
                System.gc();
                // each side gives its output back as it would inside a model: PyTorch frees the array, we give
                // the storage to the next output of its size, as the inference pass does with its intermediates
                double[] t;
                try (Autograd.Scope ng = Autograd.noGrad()) {
                    t = Timing.medians(c.warmup(), c.repeats(),
                            new Timing.Side(() -> c.ours().run(), r -> Tensor.recycle((Tensor) r)),
                            new Timing.Side(() -> c.theirs().run(), r -> ((NDArray) r).close()));
                }
                System.out.printf(Locale.ROOT, format, c.op(), c.shape(), ms(t[0]), ms(t[1]),
                        String.format(Locale.ROOT, "%.2f", t[1] / t[0]), ms(t[2]), ms(t[3]),
                        String.format(Locale.ROOT, "%.1e (%.0e) %s", rel, c.tolerance(), same ? "same" : "DIFFERENT"));
            }
        }
        if (!mismatches.isEmpty()) {
            System.out.println("# results differ from PyTorch beyond tolerance: " + mismatches);
            System.exit(1);
        }
    }

    /** max|ours − PyTorch| / max|PyTorch| over one run of each, after checking that the shapes agree. */
    static double agreement(PeerCase c) throws Exception {
        Tensor ours = c.ours().run();
        float[] theirs;
        long[] theirShape;
        try (NDArray t = c.theirs().run()) {
            theirs = t.toFloatArray();
            theirShape = t.getShape().getShape();
        }
        int[] ourShape = ours.shape();
        if (!Arrays.equals(Arrays.stream(ourShape).asLongStream().toArray(), theirShape))
            throw new IllegalStateException(c.op() + ": shape " + Arrays.toString(ourShape) + " but PyTorch gives " + Arrays.toString(theirShape));
        float[] mine = ours.floats();
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < mine.length; i++) {
            double d = Math.abs((double) mine[i] - theirs[i]);
            if (!(d <= maxDiff)) maxDiff = d;    // NaN propagates
            maxRef = Math.max(maxRef, Math.abs(theirs[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, seconds < 0.1 ? "%.2f" : "%.1f", seconds * 1e3);
    }

    private static int positive(String option, String value) {
        int n = nonNegative(option, value);
        if (n < 1) usage(option + " must be at least 1");
        return n;
    }

    private static int nonNegative(String option, String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n < 0) usage(option + " must not be negative");
            return n;
        } catch (NumberFormatException e) {
            usage(option + " needs a whole number, got " + value);
            return 0;
        }
    }

    private static void usage(String error) {
        if (error != null) System.err.println("peer: " + error);
        System.err.println("usage: ./cipa peer [--threads N] [--warmup N] [--repeat N] [--scan-warmup N] [--scan-repeat N] [--scan-lengths L1,L2,...]");
        if (error != null) System.exit(2);
    }
}
