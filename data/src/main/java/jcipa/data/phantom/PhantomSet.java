package jcipa.data.phantom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jcipa.data.Pclt20k;
import jcipa.data.Png8;
import jcipa.data.Sample;

/**
 * A synthetic data set in the PCLT20K layout: {@code n} slices of side {@code size} from cases
 * ("patients") of {@link #SLICES_PER_CASE} consecutive slices named {@code P0000_000}, …, split
 * by case, about 80 % train and 20 % test. Everything is a pure function of the seed: slice i is
 * rendered from a generator seeded by (seed, case, slice), whatever the order or thread count.
 */
public final class PhantomSet {
    private PhantomSet() {}

    public static final int SLICES_PER_CASE = 10;
    public static final double TEST_FRACTION = 0.2;

    /** What {@link #write} produced. */
    public record Summary(int slices, int cases, List<String> train, List<String> test, int tumours, int emptySlices) {}

    /** The name of slice {@code i}. */
    public static String name(int i) {
        return String.format("P%04d_%03d", i / SLICES_PER_CASE, i % SLICES_PER_CASE);
    }

    /** Slice {@code i} of the set of {@code n} slices of side {@code size} drawn from {@code seed}. */
    public static PhantomSlice.Rendered slice(long seed, int n, int size, int i) {
        if (i < 0 || i >= n || size < 8) throw new IllegalArgumentException("PhantomSet.slice: slice " + i + " of " + n + ", size " + size + " (at least 8)");
        int c = i / SLICES_PER_CASE, inCase = Math.min(SLICES_PER_CASE, n - c * SLICES_PER_CASE);
        Anatomy a = Anatomy.draw(new SplittableRandom(mix(seed, c)));
        double z = inCase == 1 ? 0.5 : (i % SLICES_PER_CASE) / (double) (inCase - 1);
        return PhantomSlice.render(name(i), a, z, size, new SplittableRandom(mix(mix(seed, c), 1 + i % SLICES_PER_CASE)));
    }

    /** Train/test split of the case indices: a seeded shuffle, the first ~20 % (at least 1 if there are 2+ cases) to test. */
    static boolean[] testCases(long seed, int cases) {
        int[] order = new int[cases];
        for (int i = 0; i < cases; i++) order[i] = i;
        SplittableRandom r = new SplittableRandom(mix(seed, -1));
        for (int i = cases - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int nTest = cases < 2 ? 0 : Math.max(1, (int) Math.round(TEST_FRACTION * cases));
        boolean[] test = new boolean[cases];
        for (int i = 0; i < nTest; i++) test[order[i]] = true;
        return test;
    }

    /**
     * Writes the set under {@code out} (created if needed) with {@code threads} threads. Refuses, and
     * writes nothing, if {@code out} already holds files unless {@code overwrite}.
     */
    public static Summary write(Path out, int n, int size, long seed, boolean overwrite, int threads) throws IOException {
        if (n < 1 || size < 8 || threads < 1)
            throw new IllegalArgumentException("phantoms: need n ≥ 1 and size ≥ 8 (got n " + n + ", size " + size + ")");
        if (Files.exists(out) && !overwrite && !isEmptyDir(out))
            throw new IOException(out + " already exists and is not empty; nothing was written (pass --overwrite to replace its data set)");
        Files.createDirectories(out);
        Pclt20k ds = Pclt20k.open(out);
        int cases = (n + SLICES_PER_CASE - 1) / SLICES_PER_CASE;
        boolean[] test = testCases(seed, cases);
        List<String> train = new ArrayList<>(), testNames = new ArrayList<>();
        int[] tumours = new int[n];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                jobs.add(pool.submit(() -> {
                    PhantomSlice.Rendered r = slice(seed, n, size, k);
                    tumours[k] = r.tumours();
                    save(ds, r.sample());
                }));
                (test[i / SLICES_PER_CASE] ? testNames : train).add(name(i));
            }
            for (Future<?> f : jobs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("phantoms: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException("phantoms: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Files.write(out.resolve("train.txt"), train);
        Files.write(out.resolve("test.txt"), testNames);
        int total = 0, empty = 0;
        for (int t : tumours) {
            total += t;
            if (t == 0) empty++;
        }
        return new Summary(n, cases, train, testNames, total, empty);
    }

    private static void save(Pclt20k ds, Sample s) {
        try {
            Files.createDirectories(ds.ct(s.name()).getParent());
            Png8.write(ds.ct(s.name()), s.ct());
            Png8.write(ds.pet(s.name()), s.pet());
            Png8.write(ds.mask(s.name()), s.mask());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) return false;
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /** SplitMix64's finaliser of a state and a counter: independent seeds for cases and slices. */
    static long mix(long state, long counter) {
        long z = state + (counter + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
