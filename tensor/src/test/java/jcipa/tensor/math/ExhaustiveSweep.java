package jcipa.tensor.math;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Not a test: measures the error bounds documented in docs/math.md by evaluating every one of
 * the 2^32 floats (minus none: NaNs check bit identity only), in parallel, and checks lane-for-lane
 * bit identity of VMath against FMath with the preferred species on the same inputs.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp tensor/target/classes:tensor/target/test-classes \
 *     jcipa.tensor.math.ExhaustiveSweep [FN ...] [-stride N]</pre>
 */
public final class ExhaustiveSweep {
    private ExhaustiveSweep() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHUNK = 1 << 20;

    public static void main(String[] args) {
        int stride = 1;
        java.util.List<MathFn> fns = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-stride")) stride = Integer.parseInt(args[++i]);
            else fns.add(MathFn.valueOf(args[i].toUpperCase()));
        }
        if (fns.isEmpty()) fns.addAll(Arrays.asList(MathFn.values()));
        System.out.printf("species %s, stride %d, %d threads%n", S, stride, Runtime.getRuntime().availableProcessors());
        for (MathFn fn : fns) run(fn, stride);
    }

    private static void run(MathFn fn, int stride) {
        long t0 = System.nanoTime();
        int chunks = (int) ((1L << 32) / CHUNK);
        double[] maxErr = new double[chunks];
        float[] argMax = new float[chunks];
        AtomicLong mismatches = new AtomicLong(), halfUlpPlus = new AtomicLong(), count = new AtomicLong();
        final int st = stride;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            float[] x = new float[CHUNK / st];
            for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat((int) ((long) c * CHUNK + (long) i * st));
            float[] v = new float[x.length];
            int i = 0;
            for (; i < S.loopBound(x.length); i += S.length()) fn.vector.apply(FloatVector.fromArray(S, x, i)).intoArray(v, i);
            for (; i < x.length; i++) v[i] = fn.scalar.apply(x[i]);
            double m = 0; float am = 0; long above = 0, bad = 0;
            for (int j = 0; j < x.length; j++) {
                float f = fn.scalar.apply(x[j]);
                if (Float.floatToRawIntBits(f) != Float.floatToRawIntBits(v[j])) bad++;
                double e = Ulps.error(f, fn.reference.applyAsDouble(x[j]));
                if (e > 0.5) above++;
                if (e > m || Double.isNaN(e)) { m = e; am = x[j]; }
            }
            maxErr[c] = m; argMax[c] = am;
            mismatches.addAndGet(bad); halfUlpPlus.addAndGet(above); count.addAndGet(x.length);
        });
        int worst = 0;
        for (int c = 1; c < chunks; c++) if (maxErr[c] > maxErr[worst]) worst = c;
        float x = argMax[worst];
        System.out.printf("%-9s max %.4f ulp at %s (%a): f=%s ref=%s; >0.5 ulp: %d of %d; vector/scalar bit mismatches: %d; bound %.2f %s; %.1f s%n",
            fn, maxErr[worst], x, x, fn.scalar.apply(x), fn.reference.applyAsDouble(x), halfUlpPlus.get(), count.get(),
            mismatches.get(), fn.maxUlps, maxErr[worst] <= fn.maxUlps && mismatches.get() == 0 ? "OK" : "FAIL",
            (System.nanoTime() - t0) / 1e9);
    }
}
