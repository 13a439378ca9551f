package jcipa.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches of one epoch, like the official {@code DataLoader} (training: shuffled, augmented,
 * {@code drop_last=True}; testing: in order, batch 1, nothing dropped), but reproducible: the
 * order of epoch e is a permutation drawn from {@code (seed, e)} alone and the augmentation of the
 * slice at position p of that order is seeded by {@code (seed, e, p)}, so any epoch, or any batch
 * of it, can be regenerated exactly on resume. Batches are prepared ahead on background threads;
 * each slice is computed independently into its own place, so results do not depend on the
 * number of threads or on timing.
 */
public final class Loader implements AutoCloseable, java.util.Iterator<Batch> {
    private final Pclt20k ds;
    private final List<String> order;
    private final int batchSize, batches;
    private final boolean augment;
    private final long seed;
    private final int epoch;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    private final int prefetch;
    private int nextToSubmit, nextToReturn;

    /** A loader starting at the first batch, with background threads as many as the cores. */
    public Loader(Pclt20k ds, List<String> names, int batchSize, boolean shuffle, boolean augment, boolean dropLast, long seed, int epoch) {
        this(ds, names, batchSize, shuffle, augment, dropLast, seed, epoch, 0, Runtime.getRuntime().availableProcessors());
    }

    /**
     * A loader starting at batch {@code startBatch} of the epoch (to resume), preparing batches on
     * {@code threads} background threads.
     */
    public Loader(Pclt20k ds, List<String> names, int batchSize, boolean shuffle, boolean augment, boolean dropLast, long seed, int epoch,
            int startBatch, int threads) {
        if (batchSize < 1 || threads < 1 || epoch < 0)
            throw new IllegalArgumentException("Loader: batch size " + batchSize + ", threads " + threads + ", epoch " + epoch);
        this.ds = ds;
        this.order = shuffle ? shuffled(names, seed, epoch) : List.copyOf(names);
        this.batchSize = batchSize;
        this.batches = batchesPerEpoch(names.size(), batchSize, dropLast);
        if (startBatch < 0 || startBatch > batches)
            throw new IllegalArgumentException("Loader: start batch " + startBatch + " of " + batches);
        this.augment = augment;
        this.seed = seed;
        this.epoch = epoch;
        this.nextToSubmit = this.nextToReturn = startBatch;
        this.prefetch = Math.max(2, threads);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jcipa-loader");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** Batches in one epoch: {@code n/B} rounded down when the last partial batch is dropped, else up. */
    public static int batchesPerEpoch(int n, int batchSize, boolean dropLast) {
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchesPerEpoch() {
        return batches;
    }

    /** The slice order of this epoch. */
    public List<String> order() {
        return order;
    }

    /** The order of epoch {@code epoch}: a Fisher–Yates shuffle driven by {@code (seed, epoch)}. */
    public static List<String> shuffled(List<String> names, long seed, int epoch) {
        List<String> out = new ArrayList<>(names);
        SplittableRandom r = new SplittableRandom(mix(seed ^ 0x5851F42D4C957F2DL, epoch));
        for (int i = out.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    /** The augmentation seed of the slice at position {@code position} of epoch {@code epoch}. */
    public static long sampleSeed(long seed, int epoch, int position) {
        return mix(mix(seed, epoch), position);
    }

    /** A strong 64-bit mix of a state and a counter (SplitMix64's finaliser). */
    static long mix(long state, long counter) {
        long z = state + (counter + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Skips {@code n} batches without computing them. */
    public void skip(int n) {
        if (n < 0 || nextToReturn + n > batches) throw new IllegalArgumentException("Loader.skip: " + n + " from batch " + nextToReturn + " of " + batches);
        for (int i = 0; i < n; i++) {
            if (!ahead.isEmpty()) ahead.poll().cancel(false);
            else nextToSubmit++;
            nextToReturn++;
        }
        fill();
    }

    /** The index within the epoch of the batch {@link #next} returns. */
    public int position() {
        return nextToReturn;
    }

    @Override
    public boolean hasNext() {
        return nextToReturn < batches;
    }

    @Override
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("Loader: epoch " + epoch + " has " + batches + " batches");
        Future<Batch> f = ahead.poll();
        nextToReturn++;
        fill();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Loader interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw new UncheckedIOException(u.getCause().getMessage(), u.getCause());
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Keeps up to {@code prefetch} batches submitted beyond the one being returned. */
    private void fill() {
        while (nextToSubmit < batches && ahead.size() < prefetch) {
            int b = nextToSubmit++;
            ahead.add(pool.submit(() -> build(b)));
        }
    }

    /** Batch {@code b} of the epoch: slices loaded and augmented in parallel, each into its own slot. */
    public Batch build(int b) {
        int from = b * batchSize, n = Math.min(batchSize, order.size() - from);
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) samples.add(sample(from + i));
        return assemble(samples);
    }

    /** The slice at position {@code p} of this epoch's order, augmented when asked. */
    public Sample sample(int p) {
        try {
            Sample s = augment ? ds.loadWithMask(order.get(p)) : ds.load(order.get(p));
            return augment ? Augmentation.apply(s, sampleSeed(seed, epoch, p)) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stacks preprocessed slices; all must be square and of one size. */
    public static Batch assemble(List<Sample> samples) {
        int side = samples.get(0).width(), plane = side * side, b = samples.size();
        boolean masks = samples.stream().allMatch(s -> s.mask() != null);
        float[] ct = new float[b * 3 * plane], pet = new float[b * 3 * plane], mask = masks ? new float[b * plane] : null;
        List<String> names = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            Sample s = samples.get(i);
            if (s.width() != side || s.height() != side)
                throw new IllegalArgumentException("Loader: " + s.name() + " is " + s.ct().size() + " but the batch is " + side + "x" + side
                        + " (slices must be square and of one size)");
            names.add(s.name());
            Preprocess.image(s.ct().pixels(), 0, plane, ct, i * 3 * plane);
            Preprocess.image(s.pet().pixels(), 0, plane, pet, i * 3 * plane);
            if (masks) Preprocess.mask(s.mask().pixels(), 0, plane, mask, i * plane);
        }
        return new Batch(names, side, ct, pet, mask);
    }

    @Override
    public void close() {
        for (Future<Batch> f : ahead) f.cancel(true);
        ahead.clear();
        pool.shutdownNow();
    }
}
