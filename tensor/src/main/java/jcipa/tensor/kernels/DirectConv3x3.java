package jcipa.tensor.kernels;

import java.util.Arrays;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of dense 3×3 convolutions with stride 1 and padding 1 (the decoder's CAB and conv
 * stacks) without im2col: the product W (cOut × 9·cIn) · col (9·cIn × pixels) reads each col row
 * straight from a zero-padded copy of the input rows (a band's window, below), where the taps of one output row
 * segment are contiguous runs. Same bits as {@link Conv2d#forwardGeneral}: each output is acc = +0, then
 * acc = fma(w[co, t], x under tap t, acc) for the taps t = (ci·3 + ky)·3 + kx ascending (0 for padded
 * taps, which the window holds), then + bias — the {@link Gemm} order contract, with the
 * accumulators stored and reloaded (exactly) between blocks of taps.
 *
 * <p>Output (oy, ox) is position p = oy·(W+2) + ox of the padded grid, and its tap (ky, kx) reads the padded input at
 * p + ky·(W+2) + kx. Tiles: 8 output channels (a last partial block padded with zero weight rows) × {@link Gemm#NRW}
 * consecutive positions (which run across output rows, so narrow maps waste only the two padding columns a row) in 24
 * vector registers (the Gemm micro-tile), taps in blocks of {@link #TAP_BLOCK}. Used on 16-lane machines (where the
 * 8-row tile fits the 32 registers); elsewhere the im2col path runs.
 *
 * <p>A task takes a band of output rows (four of a 128-wide map) and works in memory of its own, which stays in the
 * core's L2 cache: it copies the input rows the band reads, with their zero border, into a window, and collects the
 * band's outputs of all channels before it writes them to y, one run of whole rows per channel. A padded copy
 * of the whole input (6.3 MB for 96 channels at 128×128, written, then read back from L3 by every tile), and outputs
 * written one 48-float tile per channel into planes 64 KB apart, made the convolution 0-13 % slower on the 2-core
 * host of 2026-11-28 while it was quiet (most with 96 output channels) and about 30 % slower in its slow phases (see
 * the README). Same values, same fma chains.
 *
 * <p>The weights are first packed as blocks of 8 output channels, tap by tap, the 8 weights of one tap side by side
 * ({@link #packBlockOf8}): the 8 broadcasts of a tap then read 8 consecutive floats through one index, where 8 rows
 * needed 8 indexes, more than the registers left beside the 24 accumulators hold (C2 kept them on the stack and
 * reloaded them every tap). Same values, same fma order, fewer instructions per fma: on the 2-core host of
 * 2026-11-28, 96 → 32 at 128×128 with 2 threads in 293 alternating blocks, 2 % faster while the machine was quiet
 * and 14 % faster in its slow phases (when the cores ran the old kernel at half speed).
 */
final class DirectConv3x3 {
    private DirectConv3x3() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Pixels of one tile: the Gemm micro-tile's width. */
    private static final int TILE = Gemm.NRW;
    /** Taps per block: the block's rows of the window and its weights stay in L1/L2. */
    static final int TAP_BLOCK = 288;
    /**
     * Bytes of a band's input window at most, and of its collected outputs (a tile reads only three rows of the window
     * at a time, which stay in L2 while the next tiles read them again).
     */
    static final int WINDOW_BYTES = 1 << 20, OUTPUT_BYTES = 512 << 10;

    static boolean applies(ConvShape s) {
        return Gemm.WIDE && s.groups() == 1 && s.kh() == 3 && s.kw() == 3 && s.sh() == 1 && s.sw() == 1
                && s.ph() == 1 && s.pw() == 1 && s.cIn() >= 8;
    }

    /**
     * y = conv2d(x, w, bias); returns whether y holds no NaN, seen as each band's rows are written (while they are in
     * L1; a pass over y afterwards read it back from L3).
     */
    static boolean forward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        int n = s.n(), ci = s.cIn(), co = s.cOut(), h = s.h(), wd = s.w(), taps = 9 * ci;
        int rowWidth = wd + 2;
        // Output channels in whole blocks of 8: past cOut (CIPA's 6- and 12-channel convolutions) the weights go on with
        // zero rows whose outputs are dropped, so every block runs the 8-row tile; each kept output has the same fma
        // chain, and the input is read once per tile instead of once per channel (one row at a time ran 8x slower per fma).
        // (From Scratch under its shape's key: packBlockOf8 writes every row below co, and the rows past it, whose outputs
        // are dropped, stay zero.)
        int blocks = (co + 7) / 8;
        String packKey = "conv3x3 packed weights " + co + "x" + taps;
        float[] rowsOf8 = Scratch.take(packKey, blocks * 8 * taps);
        Parallel.forTasks(blocks, b -> packBlockOf8(w, co, taps, b, rowsOf8));
        // A band is bandRows output rows, bandRows·(W+2) positions from its first row's, in tiles from there (the last
        // one may run past the band: those outputs are dropped). It reads bandRows + 2 padded rows, channel c's from
        // c·windowPlane of its window.
        int bandRows = bandRows(ci, blocks * 8, h, rowWidth, Parallel.threads()), bands = (h + bandRows - 1) / bandRows;
        int bandTiles = (bandRows * rowWidth + TILE - 1) / TILE, span = bandTiles * TILE, windowPlane = (bandRows + 2) * rowWidth;
        int[] tapOffset = new int[taps];                                     // where tap t of window position 0 reads
        for (int t = 0; t < taps; t++) tapOffset[t] = t / 9 * windowPlane + t % 9 / 3 * rowWidth + t % 3;
        String windowKey = "conv3x3 window " + ci + "x" + windowPlane, outKey = "conv3x3 band outputs " + blocks + "x" + span,
               tileKey = "conv3x3 tile accumulators " + blocks;
        // A task takes consecutive bands of an image (16 tasks an image where there are bands for them): from the
        // second on, the window keeps the two rows the band before read last and copies in only the rest.
        int bandsPerTask = Math.max(1, bands / 16), tasks = (bands + bandsPerTask - 1) / bandsPerTask;
        boolean nan = Parallel.anyTask(n * tasks, task -> {
            int img = task / tasks, b0 = task % tasks * bandsPerTask, b1 = Math.min(bands, b0 + bandsPerTask);
            // (a tile past the band's rows reads on into the next channel's rows, or up to span + 2 past the last one's)
            float[] window = Scratch.take(windowKey, ci * windowPlane + span + 2);
            float[] out = Scratch.take(outKey, blocks * 8 * span);            // channel c's outputs at c·span
            float[] acc = Scratch.take(tileKey, blocks * 8 * TILE);           // a tile's outputs between tap blocks
            boolean found = false;
            for (int band = b0; band < b1; band++) {
                int r0 = band * bandRows, r1 = Math.min(h, r0 + bandRows), tiles = ((r1 - r0) * rowWidth + TILE - 1) / TILE;
                fillWindow(x, img, ci, h, wd, r0, bandRows, band > b0, window, windowPlane);
                for (int tile = 0; tile < tiles; tile++) {
                    int base = tile * TILE;
                    // Every block of 8 output channels runs on one tile's block of taps while that input is in L1; a
                    // tile's outputs of all channels wait in acc between blocks of taps and go to out after the last.
                    // Each output's fma chain is unchanged (tap blocks ascending, taps ascending within).
                    for (int k0 = 0; k0 < taps; k0 += TAP_BLOCK)
                        for (int c0 = 0; c0 < co; c0 += 8)
                            micro8(rowsOf8, c0 * taps + k0 * 8, Math.min(TAP_BLOCK, taps - k0), window, base, tapOffset, k0, acc, c0 * TILE, k0 > 0);
                    for (int c = 0; c < co; c++) System.arraycopy(acc, c * TILE, out, c * span + base, TILE);
                }
                for (int c = 0; c < co; c++)                                  // each channel's rows of the band in one run of y
                    for (int r = r0; r < r1; r++)
                        found |= storeRow(out, c * span + (r - r0) * rowWidth, y, ((img * co + c) * h + r) * wd, wd, bias, c);
            }
            Scratch.give(windowKey, window);
            Scratch.give(outKey, out);
            Scratch.give(tileKey, acc);
            return found;
        });
        Scratch.give(packKey, rowsOf8);
        return !nan;
    }

    /**
     * y[to, to + n) = out[from, from + n) + bias[c] (copied as they are without a bias): one pass, writing y once,
     * where a copy and then the bias added in place wrote it twice; returns whether any of them is NaN.
     */
    private static boolean storeRow(float[] out, int from, float[] y, int to, int n, float[] bias, int c) {
        boolean withBias = bias != null;
        float b = withBias ? bias[c] : 0f;
        FloatVector bv = FloatVector.broadcast(F, b);
        VectorMask<Float> nan = F.maskAll(false);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(F, out, from + i);
            if (withBias) v = v.add(bv);
            v.intoArray(y, to + i);
            nan = nan.or(v.compare(VectorOperators.NE, v));
        }
        boolean found = nan.anyTrue();
        for (; i < n; i++) {
            float v = withBias ? out[from + i] + b : out[from + i];
            y[to + i] = v;
            found |= v != v;
        }
        return found;
    }

    /**
     * Output rows per band: the count R whose bands end soonest on {@code threads} threads, taking the time of a band
     * as its positions rounded up to whole tiles (the last tile of a band runs past it) and the bands as dealt out
     * evenly (⌈bands / threads⌉ of them for the busiest thread), of those that leave every thread a band and keep the
     * band's window of all input channels and its outputs of all (8-padded) output channels within
     * {@link #WINDOW_BYTES} and {@link #OUTPUT_BYTES}; the fewest rows on a tie. So 4 rows at 128×128 (32 bands of
     * 528 positions for 520), 8 at 64×64 and 16×16 (528 and 144: whole tiles), 4 at 32×32. Any band gives the same
     * bits: each output's fma chain does not depend on the tiling.
     */
    static int bandRows(int cIn, int cOut8, int h, int rowWidth, int threads) {
        int best = 1;
        long bestTime = Long.MAX_VALUE;
        for (int r = 1; r <= h; r++) {
            long tiled = (long) (r * rowWidth + TILE - 1) / TILE * TILE, bands = (h + r - 1) / r;
            if (r > 1 && (4L * cIn * (r + 2) * rowWidth > WINDOW_BYTES || 4L * cOut8 * tiled > OUTPUT_BYTES || bands < Math.min(h, threads)))
                break;
            long time = (bands + threads - 1) / threads * tiled;
            if (time < bestTime) { best = r; bestTime = time; }
        }
        return best;
    }

    /**
     * Padded rows firstRow .. firstRow + bandRows + 1 of image img's ci planes (padded row r is input row r − 1, zero
     * above and below the map, with a zero column each side) into window, channel c's from c·windowPlane. With
     * {@code slide}, the window holds the band above's rows (firstRow − bandRows on): its last two are this band's
     * first two and move down; the rest are copied in. Each row is written whole, so nothing a band reads is left
     * from an earlier one (or another shape's).
     */
    private static void fillWindow(float[] x, int img, int ci, int h, int wd, int firstRow, int bandRows, boolean slide,
                                   float[] window, int windowPlane) {
        int rowWidth = wd + 2;
        for (int c = 0; c < ci; c++) {
            if (slide) System.arraycopy(window, c * windowPlane + bandRows * rowWidth, window, c * windowPlane, 2 * rowWidth);
            for (int r = slide ? 2 : 0; r < bandRows + 2; r++) {
                int iy = firstRow + r - 1, o = c * windowPlane + r * rowWidth;
                if (iy < 0 || iy >= h) Arrays.fill(window, o, o + rowWidth, 0f);
                else {
                    window[o] = 0;
                    System.arraycopy(x, ((img * ci + c) * h + iy) * wd, window, o + 1, wd);
                    window[o + wd + 1] = 0;
                }
            }
        }
    }

    /**
     * Block b of w (co, taps) packed tap by tap: packed[(b · taps + t) · 8 + r] = w[(8b + r) · taps + t] for the block's
     * channels 8b + r &lt; co; the rows of a last partial block past co are left as they are (zero).
     */
    static void packBlockOf8(float[] w, int co, int taps, int b, float[] packed) {
        for (int c = 8 * b; c < Math.min(co, 8 * b + 8); c++) {
            int from = c * taps, to = b * 8 * taps + c % 8;
            for (int t = 0; t < taps; t++) packed[to + 8 * t] = w[from + t];
        }
    }

    /**
     * Copies each of {@code planes} h×w planes of x into the interior of a zero-bordered plane of width w + 2, plane
     * p starting at {@code p·plane} of {@code padded} (row iy at (iy + 1)·(w + 2) + 1); the border is left as it is.
     */
    static void padInto(float[] x, int planes, int h, int w, float[] padded, int plane) {
        Parallel.forTasks(planes, p -> padPlane(x, p, h, w, padded, plane));
    }

    /** Plane p of {@link #padInto}. */
    private static void padPlane(float[] x, int p, int h, int w, float[] padded, int plane) {
        for (int iy = 0; iy < h; iy++)
            System.arraycopy(x, (p * h + iy) * w, padded, p * plane + (iy + 1) * (w + 2) + 1, w);
    }

    /**
     * acc[at + r·TILE, +TILE) = (load ? acc[at + r·TILE, +TILE) : 0) + Σ_{kk<kc} w[pw + 8·kk + r] · xp[base + off[k0 + kk] .. +TILE),
     * one fma chain per element, kk ascending, r &lt; 8 (w packed). In place, in the tile's accumulators: with the last
     * tap block writing to the band's outputs instead (another array, another stride, chosen per call), C2 kept fewer
     * of the loop's values in registers, and the 96 → 32 convolution at 128×128 ran 3–5 % slower on one thread
     * (2026-11-28, alternating in one JVM; the 8 × 48 outputs are now copied out once per tile).
     */
    private static void micro8(float[] w, int pw, int kc, float[] xp, int base, int[] off, int k0, float[] acc, int at, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32,
                    c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        if (load) {
            c00 = ld(acc, at); c01 = ld(acc, at + L); c02 = ld(acc, at + 2 * L);
            c10 = ld(acc, at + TILE); c11 = ld(acc, at + TILE + L); c12 = ld(acc, at + TILE + 2 * L);
            c20 = ld(acc, at + 2 * TILE); c21 = ld(acc, at + 2 * TILE + L); c22 = ld(acc, at + 2 * TILE + 2 * L);
            c30 = ld(acc, at + 3 * TILE); c31 = ld(acc, at + 3 * TILE + L); c32 = ld(acc, at + 3 * TILE + 2 * L);
            c40 = ld(acc, at + 4 * TILE); c41 = ld(acc, at + 4 * TILE + L); c42 = ld(acc, at + 4 * TILE + 2 * L);
            c50 = ld(acc, at + 5 * TILE); c51 = ld(acc, at + 5 * TILE + L); c52 = ld(acc, at + 5 * TILE + 2 * L);
            c60 = ld(acc, at + 6 * TILE); c61 = ld(acc, at + 6 * TILE + L); c62 = ld(acc, at + 6 * TILE + 2 * L);
            c70 = ld(acc, at + 7 * TILE); c71 = ld(acc, at + 7 * TILE + L); c72 = ld(acc, at + 7 * TILE + 2 * L);
        } else {
            FloatVector z = FloatVector.zero(F);
            c00 = z; c01 = z; c02 = z; c10 = z; c11 = z; c12 = z; c20 = z; c21 = z; c22 = z; c30 = z; c31 = z; c32 = z;
            c40 = z; c41 = z; c42 = z; c50 = z; c51 = z; c52 = z; c60 = z; c61 = z; c62 = z; c70 = z; c71 = z; c72 = z;
        }
        for (int kk = 0; kk < kc; kk++, pw += 8) {
            int pb = base + off[k0 + kk];
            FloatVector b0 = ld(xp, pb), b1 = ld(xp, pb + L), b2 = ld(xp, pb + 2 * L);
            FloatVector a = FloatVector.broadcast(F, w[pw]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(F, w[pw + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(F, w[pw + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(F, w[pw + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(F, w[pw + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(F, w[pw + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(F, w[pw + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(F, w[pw + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
        }
        c00.intoArray(acc, at); c01.intoArray(acc, at + L); c02.intoArray(acc, at + 2 * L);
        c10.intoArray(acc, at + TILE); c11.intoArray(acc, at + TILE + L); c12.intoArray(acc, at + TILE + 2 * L);
        c20.intoArray(acc, at + 2 * TILE); c21.intoArray(acc, at + 2 * TILE + L); c22.intoArray(acc, at + 2 * TILE + 2 * L);
        c30.intoArray(acc, at + 3 * TILE); c31.intoArray(acc, at + 3 * TILE + L); c32.intoArray(acc, at + 3 * TILE + 2 * L);
        c40.intoArray(acc, at + 4 * TILE); c41.intoArray(acc, at + 4 * TILE + L); c42.intoArray(acc, at + 4 * TILE + 2 * L);
        c50.intoArray(acc, at + 5 * TILE); c51.intoArray(acc, at + 5 * TILE + L); c52.intoArray(acc, at + 5 * TILE + 2 * L);
        c60.intoArray(acc, at + 6 * TILE); c61.intoArray(acc, at + 6 * TILE + L); c62.intoArray(acc, at + 6 * TILE + 2 * L);
        c70.intoArray(acc, at + 7 * TILE); c71.intoArray(acc, at + 7 * TILE + L); c72.intoArray(acc, at + 7 * TILE + 2 * L);
    }

    private static FloatVector ld(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }
}
