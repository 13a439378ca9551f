package jcipa.tensor.kernels;

import jcipa.tensor.math.FMath;
import jcipa.tensor.math.VMath;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast path of {@link Conv2d} for depthwise 3×3 convolutions with stride 1 and padding 1
 * (groups = cIn = cOut, weight (c, 1, 3, 3)): direct convolution of each channel plane, vectorised
 * across the output row, no im2col.
 *
 * <ul>
 * <li>forward: y = acc (+ b), acc = fma chain over (ky, kx) ascending from 0, padded taps adding
 * fma(w, 0, acc) — exactly the im2col + GEMM recurrence, so the bits equal
 * {@link Conv2d#forwardGeneral}. Bound: 11·u·(Σ|w·x| + |b|).</li>
 * <li>dInput: dx[iy, ix] = fma chain over (ky, kx) descending (the 180°-rotated kernel read in
 * row-major order) of w[ky, kx]·dy[iy+1−ky, ix+1−kx] (0 outside). Bound: 11·u·Σ|w·dy|.</li>
 * <li>dWeight: for each image and output row, 16 fixed lane partials (pixel ox goes to lane ox mod 16)
 * per tap, summed pairwise, then the row sums are added in (image, row) order. Bound:
 * (⌈wo/16⌉ + 5 + n·ho)·u·Σ|dy·x|.</li>
 * </ul>
 */
public final class DepthwiseConv3x3 {
    private DepthwiseConv3x3() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Fixed lane partials of the dWeight row sums (a multiple of every vector width). */
    static final int LANES_FIXED = 16;

    static boolean applies(ConvShape s) {
        return s.groups() == s.cIn() && s.cOut() == s.cIn() && s.kh() == 3 && s.kw() == 3
                && s.sh() == 1 && s.sw() == 1 && s.ph() == 1 && s.pw() == 1;
    }

    // ---------------------------------------------------------------- forward

    /**
     * y = conv2d(x, w, bias) plane by plane; returns whether y holds no NaN, seen as each plane is finished (while it
     * is in L2; a pass over y afterwards read it back from L3).
     */
    static boolean forward(boolean vector, ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        final int h = s.h(), wd = s.w(), c = s.cIn();
        return !Parallel.anyTask(s.n() * c, plane -> {
            int ch = plane % c, base = plane * h * wd;
            float[] k = new float[9];
            System.arraycopy(w, ch * 9, k, 0, 9);
            for (int oy = 0; oy < h; oy++)
                correlateRow(vector, x, base, h, wd, oy, k, y, base + oy * wd);
            if (bias != null) Conv2d.addScalar(vector, y, base, h * wd, bias[ch]);
            return Simd.hasNaN(y, base, h * wd);
        });
    }

    /**
     * out[ox] = fma chain over (ky, kx) ascending of k[ky·3+kx]·src[oy−1+ky, ox−1+kx] (0 outside the
     * plane), for one output row of a same-size 3×3 correlation.
     */
    private static void correlateRow(boolean vector, float[] src, int base, int h, int wd, int oy, float[] k, float[] out, int outOff) {
        int r0 = oy - 1 >= 0 ? base + (oy - 1) * wd : -1;
        int r1 = base + oy * wd;
        int r2 = oy + 1 < h ? base + (oy + 1) * wd : -1;
        int ox = 1;
        if (vector && wd >= 2 + L) {
            FloatVector k0 = FloatVector.broadcast(F, k[0]), k1 = FloatVector.broadcast(F, k[1]), k2 = FloatVector.broadcast(F, k[2]);
            FloatVector k3 = FloatVector.broadcast(F, k[3]), k4 = FloatVector.broadcast(F, k[4]), k5 = FloatVector.broadcast(F, k[5]);
            FloatVector k6 = FloatVector.broadcast(F, k[6]), k7 = FloatVector.broadcast(F, k[7]), k8 = FloatVector.broadcast(F, k[8]);
            FloatVector zero = FloatVector.zero(F);
            for (; ox + L <= wd - 1; ox += L) {
                FloatVector acc = zero;
                if (r0 >= 0) {
                    acc = k0.fma(FloatVector.fromArray(F, src, r0 + ox - 1), acc);
                    acc = k1.fma(FloatVector.fromArray(F, src, r0 + ox), acc);
                    acc = k2.fma(FloatVector.fromArray(F, src, r0 + ox + 1), acc);
                } else {
                    acc = k0.fma(zero, acc); acc = k1.fma(zero, acc); acc = k2.fma(zero, acc);
                }
                acc = k3.fma(FloatVector.fromArray(F, src, r1 + ox - 1), acc);
                acc = k4.fma(FloatVector.fromArray(F, src, r1 + ox), acc);
                acc = k5.fma(FloatVector.fromArray(F, src, r1 + ox + 1), acc);
                if (r2 >= 0) {
                    acc = k6.fma(FloatVector.fromArray(F, src, r2 + ox - 1), acc);
                    acc = k7.fma(FloatVector.fromArray(F, src, r2 + ox), acc);
                    acc = k8.fma(FloatVector.fromArray(F, src, r2 + ox + 1), acc);
                } else {
                    acc = k6.fma(zero, acc); acc = k7.fma(zero, acc); acc = k8.fma(zero, acc);
                }
                acc.intoArray(out, outOff + ox);
            }
        }
        out[outOff] = correlatePixel(src, r0, r1, r2, wd, 0, k);
        for (; ox < wd; ox++) out[outOff + ox] = correlatePixel(src, r0, r1, r2, wd, ox, k);
    }

    /** One output of {@link #correlateRow}: the scalar recurrence (rows r &lt; 0 are padding). */
    private static float correlatePixel(float[] src, int r0, int r1, int r2, int wd, int ox, float[] k) {
        float acc = 0f;
        acc = tapRow(src, r0, wd, ox, k[0], k[1], k[2], acc);
        acc = tapRow(src, r1, wd, ox, k[3], k[4], k[5], acc);
        return tapRow(src, r2, wd, ox, k[6], k[7], k[8], acc);
    }

    private static float tapRow(float[] src, int r, int wd, int ox, float a, float b, float c, float acc) {
        acc = Math.fma(a, r >= 0 && ox - 1 >= 0 ? src[r + ox - 1] : 0f, acc);
        acc = Math.fma(b, r >= 0 ? src[r + ox] : 0f, acc);
        return Math.fma(c, r >= 0 && ox + 1 < wd ? src[r + ox + 1] : 0f, acc);
    }

    // ---------------------------------------------------------------- forward, channels-last

    /**
     * The forward on a channels-last map (inference): y (n, h, w, c) contiguous from x read at
     * {@code x[xOff + ((img·h + iy)·w + ix)·xPixelStride + ch]} (a channel slice of a wider map needs no
     * copy), with the same bits as {@link #forward} on the channels-first planes: per output, acc = fma
     * chain over (ky, kx) ascending from 0 with 0 for padded taps, then + bias; with {@code silu}, SiLU of
     * that (FMath's bits, as the SiLU op after it). Vectorised across channels. Returns whether y holds no NaN,
     * seen as each output row is finished (in L2, where a pass over y afterwards read it back from L3).
     */
    public static boolean forwardChannelsLast(int n, int h, int wd, int c, float[] x, int xOff, int xPixelStride,
                                              float[] w, float[] bias, boolean silu, float[] y) {
        return forwardChannelsLast(Simd.ENABLED, n, h, wd, c, x, xOff, xPixelStride, w, bias, silu, y);
    }

    static boolean forwardChannelsLast(boolean vector, int n, int h, int wd, int c, float[] x, int xOff, int xPixelStride,
                                    float[] w, float[] bias, boolean silu, float[] y) {
        if (n < 1 || h < 1 || wd < 1 || c < 1 || xPixelStride < c || w.length != 9 * c || (bias != null && bias.length != c)
                || y.length != n * h * wd * c || xOff < 0 || xOff + ((long) n * h * wd - 1) * xPixelStride + c > x.length)
            throw new IllegalArgumentException("DepthwiseConv3x3.forwardChannelsLast: n=" + n + " h=" + h + " w=" + wd + " c=" + c
                    + " pixel stride " + xPixelStride + " do not fit x (" + x.length + "), weight (" + w.length + ") or y (" + y.length + ")");
        float[] taps = new float[9 * c];                                      // (tap, channel)
        for (int ch = 0; ch < c; ch++)
            for (int t = 0; t < 9; t++) taps[t * c + ch] = w[ch * 9 + t];
        int vectorEnd = vector ? F.loopBound(c) : 0;
        float[] zeros = new float[c];                                         // the padding's taps read this
        return !Parallel.anyTask(n * h, row -> {
            int img = row / h, oy = row % h;
            float[][] source = new float[9][];
            int[] at = new int[9];
            for (int ox = 0; ox < wd; ox++) {
                int out = ((img * h + oy) * wd + ox) * c;
                for (int t = 0; t < 9; t++) {
                    int iy = oy - 1 + t / 3, ix = ox - 1 + t % 3;
                    boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < wd;
                    source[t] = inside ? x : zeros;
                    at[t] = inside ? xOff + ((img * h + iy) * wd + ix) * xPixelStride : 0;
                }
                pixelVector(source, at, vectorEnd, c, taps, bias, silu, y, out);
                for (int ch = vectorEnd; ch < c; ch++) {
                    float acc = 0f;
                    for (int t = 0; t < 9; t++) {
                        int iy = oy - 1 + t / 3, ix = ox - 1 + t % 3;
                        boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < wd;
                        acc = Math.fma(taps[t * c + ch], inside ? x[xOff + ((img * h + iy) * wd + ix) * xPixelStride + ch] : 0f, acc);
                    }
                    float v = bias != null ? acc + bias[ch] : acc;
                    y[out + ch] = silu ? FMath.silu(v) : v;
                }
            }
            return Simd.hasNaN(y, row * wd * c, wd * c);
        });
    }

    /**
     * Channels [0, vectorEnd) of one output pixel of {@link #forwardChannelsLast}: tap t reads
     * {@code source[t][at[t] + ch]} (x, or zeros for a padded tap, whose fma then adds +0·w as the
     * channels-first path does). Sources chosen per pixel, not per vector, keep the loop free of vector
     * selects (which C2 may box).
     */
    private static void pixelVector(float[][] source, int[] at, int vectorEnd, int c, float[] taps, float[] bias, boolean silu,
                                    float[] y, int out) {
        int ch = 0;
        for (; ch + 4 * L <= vectorEnd; ch += 4 * L) fourVectors(source, at, ch, c, taps, bias, y, out);
        for (; ch < vectorEnd; ch += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int t = 0; t < 9; t++)
                acc = FloatVector.fromArray(F, taps, t * c + ch).fma(FloatVector.fromArray(F, source[t], at[t] + ch), acc);
            if (bias != null) acc = acc.add(FloatVector.fromArray(F, bias, ch));
            acc.intoArray(y, out + ch);
        }
        if (silu) for (ch = 0; ch < vectorEnd; ch += L) VMath.silu(FloatVector.fromArray(F, y, out + ch)).intoArray(y, out + ch);
    }

    /** Channels ch .. ch+4L of {@link #pixelVector} (+ bias): four independent fma chains at once (one would wait on each fma's latency). */
    private static void fourVectors(float[][] source, int[] at, int ch, int c, float[] taps, float[] bias, float[] y, int out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int t = 0; t < 9; t++) {
            float[] src = source[t];
            int s = at[t] + ch, k = t * c + ch;
            a0 = FloatVector.fromArray(F, taps, k).fma(FloatVector.fromArray(F, src, s), a0);
            a1 = FloatVector.fromArray(F, taps, k + L).fma(FloatVector.fromArray(F, src, s + L), a1);
            a2 = FloatVector.fromArray(F, taps, k + 2 * L).fma(FloatVector.fromArray(F, src, s + 2 * L), a2);
            a3 = FloatVector.fromArray(F, taps, k + 3 * L).fma(FloatVector.fromArray(F, src, s + 3 * L), a3);
        }
        if (bias != null) {
            a0 = a0.add(FloatVector.fromArray(F, bias, ch));
            a1 = a1.add(FloatVector.fromArray(F, bias, ch + L));
            a2 = a2.add(FloatVector.fromArray(F, bias, ch + 2 * L));
            a3 = a3.add(FloatVector.fromArray(F, bias, ch + 3 * L));
        }
        a0.intoArray(y, out + ch);
        a1.intoArray(y, out + ch + L);
        a2.intoArray(y, out + ch + 2 * L);
        a3.intoArray(y, out + ch + 3 * L);
    }

    // ---------------------------------------------------------------- backward, channels-last

    /**
     * dx (n, h, w, c) contiguous of {@link #forwardChannelsLast} (before its bias and SiLU) from dy (n, h, w, c)
     * contiguous: the forward with the taps flipped in both axes, dx[p] = Σ_t w[8 − t]·dy[p − (ky−1, kx−1)] (the
     * correlation's transpose at stride 1, padding 1), one fma chain per output over the taps ascending.
     */
    public static void backwardInputChannelsLast(int n, int h, int wd, int c, float[] dy, float[] w, float[] dx) {
        backwardInputChannelsLast(Simd.ENABLED, n, h, wd, c, dy, w, dx);
    }

    static void backwardInputChannelsLast(boolean vector, int n, int h, int wd, int c, float[] dy, float[] w, float[] dx) {
        float[] flipped = new float[w.length];
        for (int ch = 0; ch < c; ch++)
            for (int t = 0; t < 9; t++) flipped[ch * 9 + t] = w[ch * 9 + 8 - t];
        forwardChannelsLast(vector, n, h, wd, c, dy, 0, c, flipped, null, false, dx);
    }

    /**
     * dw (c, 1, 3, 3) and db (c) or null of {@link #forwardChannelsLast} (before its SiLU) from x as the forward read
     * it and dy (n, h, w, c) contiguous: dw[ch, t] = Σ_p dy[p, ch]·x[p + (ky−1, kx−1), ch] over the pixels inside,
     * db[ch] = Σ_p dy[p, ch]. Each output row (image, oy) is one task with its own partial sums (an fma chain over
     * its pixels ascending, vectorised across channels), and the rows' partials are added in row order.
     */
    public static void backwardWeightChannelsLast(int n, int h, int wd, int c, float[] x, int xOff, int xPixelStride,
                                                  float[] dy, float[] dw, float[] db) {
        backwardWeightChannelsLast(Simd.ENABLED, n, h, wd, c, x, xOff, xPixelStride, dy, dw, db);
    }

    static void backwardWeightChannelsLast(boolean vector, int n, int h, int wd, int c, float[] x, int xOff, int xPixelStride,
                                           float[] dy, float[] dw, float[] db) {
        int rows = n * h, size = 10 * c;                                      // per row: 9 taps' sums, then db's, as (tap, channel)
        if (dy.length != rows * wd * c || dw.length != 9 * c || (db != null && db.length != c) || xPixelStride < c
                || xOff < 0 || xOff + ((long) rows * wd - 1) * xPixelStride + c > x.length)
            throw new IllegalArgumentException("DepthwiseConv3x3.backwardWeightChannelsLast: n=" + n + " h=" + h + " w=" + wd + " c=" + c
                    + " do not fit x (" + x.length + "), dy (" + dy.length + "), dw (" + dw.length + ")");
        float[] partial = new float[rows * size];
        int vectorEnd = vector ? F.loopBound(c) : 0;
        Parallel.forTasks(rows, row -> {
            int img = row / h, oy = row % h, sums = row * size;
            for (int ox = 0; ox < wd; ox++) {
                int g = ((img * h + oy) * wd + ox) * c;
                for (int t = 0; t < 9; t++) {
                    int iy = oy - 1 + t / 3, ix = ox - 1 + t % 3;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                    tapSums(x, xOff + ((img * h + iy) * wd + ix) * xPixelStride, dy, g, partial, sums + t * c, vectorEnd, c);
                }
                Lanewise.add(dy, g, partial, sums + 9 * c, c, vector);                   // db's sums
            }
        });
        float[] total = new float[size];
        for (int row = 0; row < rows; row++) Lanewise.add(partial, row * size, total, 0, size, vector);
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < 9; t++) dw[ch * 9 + t] = total[t * c + ch];
            if (db != null) db[ch] = total[9 * c + ch];
        }
    }

    /** sums[ch] = fma(dy[g + ch], x[at + ch], sums[ch]) for every channel (vector lanes up to vectorEnd, then one by one). */
    private static void tapSums(float[] x, int at, float[] dy, int g, float[] sums, int s, int vectorEnd, int c) {
        int ch = 0;
        for (; ch < vectorEnd; ch += L)
            FloatVector.fromArray(F, dy, g + ch).fma(FloatVector.fromArray(F, x, at + ch), FloatVector.fromArray(F, sums, s + ch)).intoArray(sums, s + ch);
        for (; ch < c; ch++) sums[s + ch] = Math.fma(dy[g + ch], x[at + ch], sums[s + ch]);
    }

    // ---------------------------------------------------------------- dInput

    static void backwardInput(boolean vector, ConvShape s, float[] dy, float[] w, float[] dx) {
        final int h = s.h(), wd = s.w(), c = s.cIn();
        Parallel.forTasks(s.n() * c, plane -> {
            int ch = plane % c, base = plane * h * wd;
            // dx = correlation of dy with the kernel rotated by 180°: tap (ky,kx) reads dy[iy+1−ky, ix+1−kx].
            float[] k = new float[9];
            for (int t = 0; t < 9; t++) k[t] = w[ch * 9 + 8 - t];
            for (int iy = 0; iy < h; iy++)
                correlateRow(vector, dy, base, h, wd, iy, k, dx, base + iy * wd);
        });
    }

    // ---------------------------------------------------------------- dWeight

    static void backwardWeight(boolean vector, ConvShape s, float[] x, float[] dy, float[] dw) {
        final int h = s.h(), wd = s.w(), c = s.cIn(), n = s.n();
        Parallel.forTasks(c, ch -> {
            float[] total = new float[9];
            float[] lanes = new float[LANES_FIXED];
            float[] padded = new float[3 * (wd + 2)];
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * h * wd;
                for (int oy = 0; oy < h; oy++) {
                    // Rows oy−1, oy, oy+1 of x with one zero column on each side (zero rows outside).
                    for (int r = 0; r < 3; r++) {
                        int iy = oy - 1 + r, at = r * (wd + 2);
                        padded[at] = 0f; padded[at + wd + 1] = 0f;
                        if (iy >= 0 && iy < h) System.arraycopy(x, base + iy * wd, padded, at + 1, wd);
                        else java.util.Arrays.fill(padded, at + 1, at + wd + 1, 0f);
                    }
                    int dyRow = base + oy * wd;
                    for (int t = 0; t < 9; t++) {
                        int src = (t / 3) * (wd + 2) + t % 3;  // padded[src + ox] = x[oy−1+ky, ox−1+kx]
                        rowLanes(vector, dy, dyRow, padded, src, wd, lanes);
                        total[t] += pairwiseSum16(lanes);
                    }
                }
            }
            System.arraycopy(total, 0, dw, ch * 9, 9);
        });
    }

    /** lanes[l] = fma chain over ox ≡ l (mod 16), ascending, of a[aOff+ox]·b[bOff+ox], from 0. */
    static void rowLanes(boolean vector, float[] a, int aOff, float[] b, int bOff, int len, float[] lanes) {
        java.util.Arrays.fill(lanes, 0f);
        int full = len - len % LANES_FIXED;
        int ox = 0;
        if (vector) {
            for (int v = 0; v < LANES_FIXED; v += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int o = v; o < full; o += LANES_FIXED)
                    acc = FloatVector.fromArray(F, a, aOff + o).fma(FloatVector.fromArray(F, b, bOff + o), acc);
                acc.intoArray(lanes, v);
            }
            ox = full;
        }
        for (; ox < len; ox++) {
            int l = ox % LANES_FIXED;
            lanes[l] = Math.fma(a[aOff + ox], b[bOff + ox], lanes[l]);
        }
    }

    /** ((l0+l1)+(l2+l3)) + ... : the fixed pairwise sum of 16 partials. */
    static float pairwiseSum16(float[] l) {
        float a = (l[0] + l[1]) + (l[2] + l[3]), b = (l[4] + l[5]) + (l[6] + l[7]);
        float c = (l[8] + l[9]) + (l[10] + l[11]), d = (l[12] + l[13]) + (l[14] + l[15]);
        return (a + b) + (c + d);
    }
}
