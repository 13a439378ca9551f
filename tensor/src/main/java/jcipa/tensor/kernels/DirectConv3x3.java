package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward of dense 3×3 convolutions with stride 1 and padding 1 (the decoder's CAB and conv
 * stacks) without im2col: the product W (cOut × 9·cIn) · col (9·cIn × pixels) reads each col row
 * straight from a zero-padded copy of the input, where the taps of one output row segment are
 * contiguous runs. Same bits as {@link Conv2d#forwardGeneral}: each output is acc = +0, then
 * acc = fma(w[co, t], x under tap t, acc) for the taps t = (ci·3 + ky)·3 + kx ascending (0 for padded
 * taps, which the padded copy holds), then + bias — the {@link Gemm} order contract, with the
 * accumulators stored and reloaded (exactly) between blocks of taps.
 *
 * <p>Tiles: 8 output channels (a last partial block padded with zero weight rows) × {@link Gemm#NRW} consecutive positions of the padded grid (which run
 * across output rows, so narrow maps waste only the two padding columns a row) in 24 vector registers
 * (the Gemm micro-tile), taps in blocks of {@link #TAP_BLOCK}; a task takes about a row's worth of
 * tiles. Used on 16-lane machines (where the 8-row tile fits the 32 registers); elsewhere the im2col
 * path runs.
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
    /** Taps per block: the block's rows of the padded input and weights stay in L1/L2. */
    static final int TAP_BLOCK = 288;

    static boolean applies(ConvShape s) {
        return Gemm.WIDE && s.groups() == 1 && s.kh() == 3 && s.kw() == 3 && s.sh() == 1 && s.sw() == 1
                && s.ph() == 1 && s.pw() == 1 && s.cIn() >= 8;
    }

    static void forward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        int n = s.n(), ci = s.cIn(), co = s.cOut(), h = s.h(), wd = s.w(), taps = 9 * ci;
        // Output (oy, ox) is position p = oy·(W+2) + ox of the padded grid, and its tap (ky, kx) reads the
        // padded input at p + ky·(W+2) + kx: a tile is TILE consecutive positions, across output rows; the
        // two positions past each row's end are computed and dropped.
        int rowWidth = wd + 2, plane = (h + 2) * rowWidth, positions = h * rowWidth;
        int tiles = (positions + TILE - 1) / TILE, tilesPerTask = Math.max(1, (wd + TILE - 1) / TILE);
        // (n, ci, h+2, W+2), zero border; the last tile reads up to TILE past. Under its shape's key from
        // Scratch, only the interior was ever written, so the border and the slack are still zero.
        String key = "conv3x3 padded " + n + "x" + ci + "x" + h + "x" + wd;
        float[] padded = Scratch.take(key, n * ci * plane + TILE + 1);
        int[] tapOffset = new int[taps];                                     // where tap t of position 0 reads
        for (int t = 0; t < taps; t++) tapOffset[t] = (t / 9 * (h + 2) + t % 9 / 3) * rowWidth + t % 3;
        // Output channels in whole blocks of 8: past cOut (CIPA's 6- and 12-channel convolutions) the weights go on with
        // zero rows whose outputs are dropped, so every block runs the 8-row tile; each kept output has the same fma
        // chain, and the input is read once per tile instead of once per channel (one row at a time ran 8x slower per fma).
        // (From Scratch under its shape's key: packBlockOf8 writes every row below co, and the rows past it, whose outputs
        // are dropped, stay zero.)
        int blocks = (co + 7) / 8;
        String packKey = "conv3x3 packed weights " + co + "x" + taps;
        float[] rowsOf8 = Scratch.take(packKey, blocks * 8 * taps);
        // the padded copy and the packed weights in one parallel pass (packing 384 → 128 channels' 1.7 MB of weights
        // alone took 0.09 ms on one thread)
        int planes = n * ci;
        Parallel.forTasks(planes + blocks, t -> {
            if (t < planes) padPlane(x, t, h, wd, padded, plane);
            else packBlockOf8(w, co, taps, t - planes, rowsOf8);
        });
        int tasksPerImage = (tiles + tilesPerTask - 1) / tilesPerTask;
        Parallel.forTasks(n * tasksPerImage, task -> {
            int img = task / tasksPerImage, t0 = task % tasksPerImage * tilesPerTask, t1 = Math.min(tiles, t0 + tilesPerTask);
            // Every block of 8 output channels runs on one tile's block of taps while that input is in L1 (a tile
            // of 96 channels reads ~57 KB over all its taps, more than L1 holds): acc holds the tile's outputs of all
            // channels. Each output's fma chain is unchanged (tap blocks ascending, taps ascending within).
            float[] acc = new float[blocks * 8 * TILE];
            for (int tile = t0; tile < t1; tile++) {
                int base = img * ci * plane + tile * TILE;
                for (int k0 = 0; k0 < taps; k0 += TAP_BLOCK) {
                    int kc = Math.min(TAP_BLOCK, taps - k0);
                    for (int c0 = 0; c0 < co; c0 += 8)
                        micro8(rowsOf8, c0 * taps + k0 * 8, kc, padded, base, tapOffset, k0, acc, c0 * TILE, k0 > 0);
                }
                for (int c = 0; c < co; c++) storeTile(acc, c * TILE, tile * TILE, positions, rowWidth, wd, y,
                        (img * co + c) * h * wd, bias, c);
            }
        });
        Scratch.give(key, padded);
        Scratch.give(packKey, rowsOf8);
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

    /** The tile's outputs (from position p0) that lie on the map into y's plane at {@code out}, + bias[co]. */
    private static void storeTile(float[] acc, int at, int p0, int positions, int rowWidth, int wd, float[] y, int out, float[] bias, int co) {
        int end = Math.min(positions, p0 + TILE);
        for (int p = p0; p < end; ) {
            int oy = p / rowWidth, ox = p % rowWidth, run = Math.min(end - p, rowWidth - ox);
            int valid = Math.max(0, Math.min(run, wd - ox));
            if (valid > 0) {
                int o = out + oy * wd + ox;
                System.arraycopy(acc, at + p - p0, y, o, valid);
                if (bias != null) Conv2d.addScalar(true, y, o, valid, bias[co]);
            }
            p += run;
        }
    }

    /** acc[ao + r·TILE, +TILE) (+)= Σ_{kk<kc} w[pw + 8·kk + r] · padded[base + off[k0 + kk] .. +TILE), kk ascending, r &lt; 8 (w packed). */
    private static void micro8(float[] w, int pw, int kc, float[] xp, int base, int[] off, int k0,
                               float[] acc, int ao, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32,
                    c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        if (load) {
            c00 = ld(acc, ao); c01 = ld(acc, ao + L); c02 = ld(acc, ao + 2 * L);
            c10 = ld(acc, ao + TILE); c11 = ld(acc, ao + TILE + L); c12 = ld(acc, ao + TILE + 2 * L);
            c20 = ld(acc, ao + 2 * TILE); c21 = ld(acc, ao + 2 * TILE + L); c22 = ld(acc, ao + 2 * TILE + 2 * L);
            c30 = ld(acc, ao + 3 * TILE); c31 = ld(acc, ao + 3 * TILE + L); c32 = ld(acc, ao + 3 * TILE + 2 * L);
            c40 = ld(acc, ao + 4 * TILE); c41 = ld(acc, ao + 4 * TILE + L); c42 = ld(acc, ao + 4 * TILE + 2 * L);
            c50 = ld(acc, ao + 5 * TILE); c51 = ld(acc, ao + 5 * TILE + L); c52 = ld(acc, ao + 5 * TILE + 2 * L);
            c60 = ld(acc, ao + 6 * TILE); c61 = ld(acc, ao + 6 * TILE + L); c62 = ld(acc, ao + 6 * TILE + 2 * L);
            c70 = ld(acc, ao + 7 * TILE); c71 = ld(acc, ao + 7 * TILE + L); c72 = ld(acc, ao + 7 * TILE + 2 * L);
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
        c00.intoArray(acc, ao); c01.intoArray(acc, ao + L); c02.intoArray(acc, ao + 2 * L);
        c10.intoArray(acc, ao + TILE); c11.intoArray(acc, ao + TILE + L); c12.intoArray(acc, ao + TILE + 2 * L);
        c20.intoArray(acc, ao + 2 * TILE); c21.intoArray(acc, ao + 2 * TILE + L); c22.intoArray(acc, ao + 2 * TILE + 2 * L);
        c30.intoArray(acc, ao + 3 * TILE); c31.intoArray(acc, ao + 3 * TILE + L); c32.intoArray(acc, ao + 3 * TILE + 2 * L);
        c40.intoArray(acc, ao + 4 * TILE); c41.intoArray(acc, ao + 4 * TILE + L); c42.intoArray(acc, ao + 4 * TILE + 2 * L);
        c50.intoArray(acc, ao + 5 * TILE); c51.intoArray(acc, ao + 5 * TILE + L); c52.intoArray(acc, ao + 5 * TILE + 2 * L);
        c60.intoArray(acc, ao + 6 * TILE); c61.intoArray(acc, ao + 6 * TILE + L); c62.intoArray(acc, ao + 6 * TILE + 2 * L);
        c70.intoArray(acc, ao + 7 * TILE); c71.intoArray(acc, ao + 7 * TILE + L); c72.intoArray(acc, ao + 7 * TILE + 2 * L);
    }

    private static FloatVector ld(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }
}
