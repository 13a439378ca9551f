package jcipa.tensor.kernels;

import java.util.Arrays;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fixed-order float32 sums: along a contiguous run, over an axis of an (outer, n, inner) view, and
 * over a whole array. Every result has the same bits for any thread count, any vector width and the
 * scalar path.
 *
 * <p><b>Contiguous scheme</b> (a run x[0..n), used when inner = 1 and by LayerNorm and BatchNorm).
 * The run is cut into blocks of {@link #BLOCK} elements. In a block, element j goes to partial sum
 * j mod 16 ({@link #LANES_FIXED} partials, each adding its elements in ascending j), and the 16
 * partials are combined by the fixed tree p[t] += p[t+w] for w = 8, 4, 2, 1. Block results are then
 * added in block order into one float total starting at +0. With vectors of 4, 8 or 16 lanes the
 * 16 partials are 16/lanes vectors, lane for lane the same additions as the scalar partials, and the
 * tail past the last full 16 is added by the same scalar code in both paths.
 *
 * <p><b>Strided scheme</b> (inner &gt; 1): each output (o, i) adds x[o, j, i] for j ascending into a
 * run sum that restarts every {@link #RUN} steps; run sums are added in order into the total.
 * Outputs are independent, so vectors run across i.
 *
 * <p><b>Error bounds</b> (u = 2⁻²⁴, γ_s = s·u/(1 − s·u)). Each result is off the exact sum by at
 * most γ_s·Σ|terms|, where s is the longest chain of roundings any term goes through:
 * <ul>
 * <li>contiguous, n elements: s = ⌈min(n, 4096)/16⌉ + 4 + ⌈n/4096⌉;</li>
 * <li>strided, n steps: s = min(n, 256) + ⌈n/256⌉;</li>
 * <li>{@link #sumAll}: the contiguous s of min(n, 65536) elements plus ⌈n/65536⌉.</li>
 * </ul>
 * A mean adds one rounding (s + 1). {@link #dot} has the same s over the terms x·y (each fma rounds
 * once); {@link #dotDeviations} one more for x − m; {@link #sumSquaredDeviations} two more.
 */
public final class Reduce {
    private Reduce() {}

    /** Number of partial sums of the contiguous scheme: a multiple of every float vector width. */
    public static final int LANES_FIXED = 16;
    /** Elements per block of the contiguous scheme (256 per partial). */
    static final int BLOCK = 4096;
    /** Steps along n per run sum in the strided scheme. */
    static final int RUN = 256;
    /** Elements per parallel chunk of {@link #sumAll}. */
    static final int CHUNK = 1 << 16;
    /** Inner elements per parallel task of the strided scheme. */
    static final int INNER_CHUNK = 2048;
    /** Rough work (elements) per parallel task. */
    static final int TASK_WORK = 1 << 16;

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    static {
        if (LANES_FIXED % L != 0) throw new IllegalStateException("Reduce: float lanes " + L + " do not divide " + LANES_FIXED);
    }

    private enum Op { SUM, SQUARED_DEVIATIONS, DOT, DOT_DEVIATIONS }

    // ---------------------------------------------------------------- contiguous runs

    /** Σ x[off + j], j &lt; n (contiguous scheme). */
    public static float sum(float[] x, int off, int n) {
        checkRun("sum", x, off, n);
        return run(Op.SUM, x, off, null, 0, 0f, n, Simd.ENABLED);
    }

    /** Σ (x[off + j] − mean)², j &lt; n (contiguous scheme, d = x − mean, then fma(d, d, acc)). */
    public static float sumSquaredDeviations(float[] x, int off, int n, float mean) {
        checkRun("sumSquaredDeviations", x, off, n);
        return run(Op.SQUARED_DEVIATIONS, x, off, null, 0, mean, n, Simd.ENABLED);
    }

    /** Σ x[xOff + j]·y[yOff + j], j &lt; n (contiguous scheme, fma(x, y, acc)). */
    public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        checkRun("dot", x, xOff, n);
        checkRun("dot", y, yOff, n);
        return run(Op.DOT, x, xOff, y, yOff, 0f, n, Simd.ENABLED);
    }

    /** Σ (x[xOff + j] − mean)·y[yOff + j], j &lt; n (contiguous scheme, fma(x − mean, y, acc)). */
    public static float dotDeviations(float[] x, int xOff, float mean, float[] y, int yOff, int n) {
        checkRun("dotDeviations", x, xOff, n);
        checkRun("dotDeviations", y, yOff, n);
        return run(Op.DOT_DEVIATIONS, x, xOff, y, yOff, mean, n, Simd.ENABLED);
    }

    /** Package-visible entry points with an explicit path choice, for the tests. */
    static float sum(float[] x, int off, int n, boolean vector) { return run(Op.SUM, x, off, null, 0, 0f, n, vector); }
    static float sumSquaredDeviations(float[] x, int off, int n, float mean, boolean vector) { return run(Op.SQUARED_DEVIATIONS, x, off, null, 0, mean, n, vector); }
    static float dot(float[] x, int xOff, float[] y, int yOff, int n, boolean vector) { return run(Op.DOT, x, xOff, y, yOff, 0f, n, vector); }
    static float dotDeviations(float[] x, int xOff, float mean, float[] y, int yOff, int n, boolean vector) { return run(Op.DOT_DEVIATIONS, x, xOff, y, yOff, mean, n, vector); }

    private static float run(Op op, float[] x, int xOff, float[] y, int yOff, float mean, int n, boolean vector) {
        float[] p = new float[LANES_FIXED];
        float total = 0f;
        for (int b = 0; b < n; b += BLOCK) {
            int len = Math.min(BLOCK, n - b);
            if (vector && Simd.ENABLED) vectorPartials(op, x, xOff + b, y, yOff + b, mean, len, p);
            else scalarPartials(op, x, xOff + b, y, yOff + b, mean, len, p);
            tailPartials(op, x, xOff + b, y, yOff + b, mean, len, p);
            total += tree(p);
        }
        return total;
    }

    /** p[t] = Σ over j ≡ t (mod 16), j &lt; len rounded down to 16, ascending; the scalar form. */
    private static void scalarPartials(Op op, float[] x, int xo, float[] y, int yo, float m, int len, float[] p) {
        int full = len - len % LANES_FIXED;
        for (int t = 0; t < LANES_FIXED; t++) {
            float s = 0f;
            switch (op) {
                case SUM -> { for (int j = t; j < full; j += LANES_FIXED) s += x[xo + j]; }
                case SQUARED_DEVIATIONS -> { for (int j = t; j < full; j += LANES_FIXED) { float d = x[xo + j] - m; s = Math.fma(d, d, s); } }
                case DOT -> { for (int j = t; j < full; j += LANES_FIXED) s = Math.fma(x[xo + j], y[yo + j], s); }
                case DOT_DEVIATIONS -> { for (int j = t; j < full; j += LANES_FIXED) s = Math.fma(x[xo + j] - m, y[yo + j], s); }
            }
            p[t] = s;
        }
    }

    /** The same partials, lanes v..v+L of the 16 carried by one vector. */
    private static void vectorPartials(Op op, float[] x, int xo, float[] y, int yo, float m, int len, float[] p) {
        int full = len - len % LANES_FIXED;
        FloatVector mv = FloatVector.broadcast(F, m);
        for (int v = 0; v < LANES_FIXED; v += L) {
            FloatVector s = FloatVector.zero(F);
            switch (op) {
                case SUM -> { for (int j = v; j < full; j += LANES_FIXED) s = s.add(FloatVector.fromArray(F, x, xo + j)); }
                case SQUARED_DEVIATIONS -> {
                    for (int j = v; j < full; j += LANES_FIXED) { FloatVector d = FloatVector.fromArray(F, x, xo + j).sub(mv); s = d.fma(d, s); }
                }
                case DOT -> { for (int j = v; j < full; j += LANES_FIXED) s = FloatVector.fromArray(F, x, xo + j).fma(FloatVector.fromArray(F, y, yo + j), s); }
                case DOT_DEVIATIONS -> {
                    for (int j = v; j < full; j += LANES_FIXED) s = FloatVector.fromArray(F, x, xo + j).sub(mv).fma(FloatVector.fromArray(F, y, yo + j), s);
                }
            }
            s.intoArray(p, v);
        }
    }

    /** Adds the last len mod 16 elements to partials 0, 1, ... (shared by both paths). */
    private static void tailPartials(Op op, float[] x, int xo, float[] y, int yo, float m, int len, float[] p) {
        int full = len - len % LANES_FIXED;
        for (int j = full; j < len; j++) {
            int t = j - full;
            switch (op) {
                case SUM -> p[t] += x[xo + j];
                case SQUARED_DEVIATIONS -> { float d = x[xo + j] - m; p[t] = Math.fma(d, d, p[t]); }
                case DOT -> p[t] = Math.fma(x[xo + j], y[yo + j], p[t]);
                case DOT_DEVIATIONS -> p[t] = Math.fma(x[xo + j] - m, y[yo + j], p[t]);
            }
        }
    }

    /**
     * {@link #sum} (with {@code squares}: {@link #sumSquaredDeviations} about means[k]) of four runs of
     * n ≤ {@link #BLOCK} elements from x[offs[k]] into out[k], on the vector path: the same partials, tail
     * and tree per run, four runs' chains interleaved (one run's chain waits on each add's latency; a
     * layer norm's rows of a few hundred elements are that short). {@code partials}: four arrays of
     * {@link #LANES_FIXED} floats to work in (overwritten; a caller reuses them from call to call).
     */
    static void fourRuns(boolean squares, float[] x, int[] offs, int n, float[] means, float[] out, float[][] partials) {
        if (n > BLOCK || !Simd.ENABLED) throw new IllegalArgumentException("Reduce.fourRuns: " + n + " elements (at most " + BLOCK + ", vector path only)");
        float[] p0 = partials[0], p1 = partials[1], p2 = partials[2], p3 = partials[3];
        int full = n - n % LANES_FIXED, o0 = offs[0], o1 = offs[1], o2 = offs[2], o3 = offs[3];
        FloatVector m0 = FloatVector.broadcast(F, squares ? means[0] : 0f), m1 = FloatVector.broadcast(F, squares ? means[1] : 0f);
        FloatVector m2 = FloatVector.broadcast(F, squares ? means[2] : 0f), m3 = FloatVector.broadcast(F, squares ? means[3] : 0f);
        for (int v = 0; v < LANES_FIXED; v += L) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            if (squares) {
                for (int j = v; j < full; j += LANES_FIXED) {
                    FloatVector d0 = FloatVector.fromArray(F, x, o0 + j).sub(m0), d1 = FloatVector.fromArray(F, x, o1 + j).sub(m1);
                    FloatVector d2 = FloatVector.fromArray(F, x, o2 + j).sub(m2), d3 = FloatVector.fromArray(F, x, o3 + j).sub(m3);
                    s0 = d0.fma(d0, s0); s1 = d1.fma(d1, s1); s2 = d2.fma(d2, s2); s3 = d3.fma(d3, s3);
                }
            } else {
                for (int j = v; j < full; j += LANES_FIXED) {
                    s0 = s0.add(FloatVector.fromArray(F, x, o0 + j)); s1 = s1.add(FloatVector.fromArray(F, x, o1 + j));
                    s2 = s2.add(FloatVector.fromArray(F, x, o2 + j)); s3 = s3.add(FloatVector.fromArray(F, x, o3 + j));
                }
            }
            s0.intoArray(p0, v); s1.intoArray(p1, v); s2.intoArray(p2, v); s3.intoArray(p3, v);
        }
        Op op = squares ? Op.SQUARED_DEVIATIONS : Op.SUM;
        for (int k = 0; k < 4; k++) {
            float[] p = partials[k];
            tailPartials(op, x, offs[k], null, 0, squares ? means[k] : 0f, n, p);
            float total = 0f;                                                 // as run's one block: +0, then the block
            total += tree(p);
            out[k] = total;
        }
    }

    /** The fixed combining tree: p[t] += p[t + w] for w = 8, 4, 2, 1; returns p[0]. */
    private static float tree(float[] p) {
        return tree(p, 0);
    }

    /**
     * A one-block run's total from its {@link #LANES_FIXED} partials at p[at …]: +0, then the tree (the value
     * {@link #sum}, {@link #dotDeviations} and the others return for a run of at most {@link #BLOCK} elements).
     */
    static float blockTotal(float[] p, int at) {
        float total = 0f;
        total += tree(p, at);
        return total;
    }

    private static float tree(float[] p, int at) {
        float a0 = p[at] + p[at + 8], a1 = p[at + 1] + p[at + 9], a2 = p[at + 2] + p[at + 10], a3 = p[at + 3] + p[at + 11];
        float a4 = p[at + 4] + p[at + 12], a5 = p[at + 5] + p[at + 13], a6 = p[at + 6] + p[at + 14], a7 = p[at + 7] + p[at + 15];
        float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
        return (b0 + b2) + (b1 + b3);
    }

    // ---------------------------------------------------------------- whole arrays

    /** Σ x[off + j], j &lt; n: contiguous sums of chunks of 65536 elements, added in chunk order (parallel). */
    public static float sumAll(float[] x, int off, int n) {
        checkRun("sumAll", x, off, n);
        return sumAll(x, off, n, Simd.ENABLED);
    }

    static float sumAll(float[] x, int off, int n, boolean vector) {
        int chunks = Parallel.chunkCount(n, CHUNK);
        float[] part = new float[chunks];
        Parallel.forChunks(n, CHUNK, (s, e) -> part[s / CHUNK] = run(Op.SUM, x, off + s, null, 0, 0f, e - s, vector));
        float total = 0f;
        for (float v : part) total += v;
        return total;
    }

    // ---------------------------------------------------------------- over an axis

    /** out[o·inner + i] = Σ_j x[(o·n + j)·inner + i] for the (outer, n, inner) view of x. */
    public static void sumAxis(float[] x, int outer, int n, int inner, float[] out) {
        checkAxis("sumAxis", x, outer, n, inner, out);
        sumAxis(x, outer, n, inner, out, Simd.ENABLED);
    }

    /** out = the mean over the axis: the sum of {@link #sumAxis}, divided by n (one more rounding). */
    public static void meanAxis(float[] x, int outer, int n, int inner, float[] out) {
        checkAxis("meanAxis", x, outer, n, inner, out);
        sumAxis(x, outer, n, inner, out, Simd.ENABLED);
        float count = n;
        int size = outer * inner;
        for (int i = 0; i < size; i++) out[i] /= count;
    }

    static void sumAxis(float[] x, int outer, int n, int inner, float[] out, boolean vector) {
        if (inner == 1) {
            int rows = Math.max(1, TASK_WORK / n);
            Parallel.forChunks(outer, rows, (o0, o1) -> {
                for (int o = o0; o < o1; o++) out[o] = run(Op.SUM, x, o * n, null, 0, 0f, n, vector);
            });
            return;
        }
        int innerChunks = Parallel.chunkCount(inner, INNER_CHUNK);
        int width = Math.min(inner, INNER_CHUNK);
        int rows = (int) Math.max(1, TASK_WORK / ((long) n * width));
        int outerChunks = Parallel.chunkCount(outer, rows);
        Parallel.forTasks(outerChunks * innerChunks, task -> {
            int o0 = (task / innerChunks) * rows, o1 = Math.min(outer, o0 + rows);
            int i0 = (task % innerChunks) * INNER_CHUNK, i1 = Math.min(inner, i0 + INNER_CHUNK);
            float[] runSum = new float[i1 - i0];
            for (int o = o0; o < o1; o++) strided(x, o, n, inner, i0, i1, out, runSum, vector);
        });
    }

    /** The strided scheme for outputs (o, i0..i1): run sums of RUN steps along j, added in order. */
    private static void strided(float[] x, int o, int n, int inner, int i0, int i1, float[] out, float[] runSum, boolean vector) {
        int w = i1 - i0, outBase = o * inner + i0;
        Arrays.fill(out, outBase, outBase + w, 0f);
        for (int jb = 0; jb < n; jb += RUN) {
            Arrays.fill(runSum, 0, w, 0f);
            int je = Math.min(n, jb + RUN);
            for (int j = jb; j < je; j++) Lanewise.add(x, (o * n + j) * inner + i0, runSum, 0, w, vector);
            Lanewise.add(runSum, 0, out, outBase, w, vector);
        }
    }

    // ---------------------------------------------------------------- checks

    private static void checkRun(String what, float[] x, int off, int n) {
        if (n < 1 || off < 0 || x == null || (long) off + n > x.length)
            throw new IllegalArgumentException("Reduce." + what + ": bad run off=" + off + " n=" + n
                    + " for array length " + (x == null ? "null" : x.length));
    }

    private static void checkAxis(String what, float[] x, int outer, int n, int inner, float[] out) {
        String dims = "outer=" + outer + " n=" + n + " inner=" + inner;
        if (outer < 1 || n < 1 || inner < 1) throw new IllegalArgumentException("Reduce." + what + ": dimensions must be positive: " + dims);
        if ((long) outer * n * inner != (x == null ? -1 : x.length))
            throw new IllegalArgumentException("Reduce." + what + ": x length " + (x == null ? "null" : x.length) + " != outer·n·inner (" + dims + ")");
        if ((long) outer * inner != (out == null ? -1 : out.length))
            throw new IllegalArgumentException("Reduce." + what + ": out length " + (out == null ? "null" : out.length) + " != outer·inner (" + dims + ")");
    }
}
