package jcipa.tensor.kernels;

import java.util.Arrays;
import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;

/**
 * Float32 2-D convolution (PyTorch {@code F.conv2d}: zero padding, dilation 1, groups) and its
 * gradients, on contiguous NCHW arrays. Shapes are described by {@link ConvShape}; weight is
 * (cOut, cIn/groups, kh, kw) row-major, i.e. row co of a cOut × taps matrix with tap index
 * t = (ci·kh + ky)·kw + kx. Depthwise 3×3 stride-1 pad-1 convs go to {@link DepthwiseConv3x3}, dense
 * ones to {@link DirectConv3x3} (no im2col; same bits).
 *
 * <p>Accumulation orders (fixed, so bits do not depend on threads, SIMD width or the scalar path):
 * <ul>
 * <li>forward: y = acc (+ bias), acc = fma chain over the taps t = 0..T−1 ascending from 0, where a
 * padded tap contributes fma(w, 0, acc) (im2col + {@link ConvGemm}). Bound vs the float64
 * reference: |y − ref| ≤ (T + 2)·u·(Σ_t |w_t·x_t| + |b|), u = 2⁻²⁴.</li>
 * <li>dInput: per pixel chunk of {@value #DX_PIXEL_CHUNK} output pixels (in order), for each tap
 * (ascending) dX += dCol, where dCol(tap, p) = fma chain over the group's output channels ascending
 * (each dX element receives at most kh·kw such terms). Bound: (cOut/groups + kh·kw + 1)·u·Σ |w·dy|.
 * Dense 3×3 convolutions with stride 1 and padding 1 instead take the forward's order on dy with the
 * weights transposed and flipped (one fma chain over (cOut, ky, kx) ascending, from +0). Bound:
 * (9·cOut + 2)·u·Σ |w·dy|.</li>
 * <li>dWeight: per image, per chunk of {@value #DW_PIXEL_CHUNK} output pixels, a partial fma chain
 * over the chunk's pixels from 0, added to dW in (image, chunk) order. Bound:
 * (min({@value #DW_PIXEL_CHUNK}, P) + n·⌈P/{@value #DW_PIXEL_CHUNK}⌉ + 1)·u·Σ |dy·x| (P = ho·wo).
 * Dense 3×3 convolutions with stride 1 and padding 1 instead take {@link DenseConv3x3WeightGrad}'s order (16
 * interleaved chains over the padded grid per image, a fixed tree, images in order).</li>
 * <li>dBias: the same chunking with plain adds. Bound: (min({@value #DB_PIXEL_CHUNK}, P) + n·⌈P/chunk⌉)·u·Σ|dy|.</li>
 * </ul>
 */
public final class Conv2d {
    private Conv2d() {}

    /** Output pixels per dInput chunk; part of the dInput summation order. */
    static final int DX_PIXEL_CHUNK = 1024;
    /** Output pixels per dWeight partial sum; part of the dWeight summation order. */
    static final int DW_PIXEL_CHUNK = 256;
    /** Output pixels per dBias partial sum; part of the dBias summation order. */
    static final int DB_PIXEL_CHUNK = 256;
    private static final int DW_CO_BLOCK = 32;
    private static final int DW_TAP_BLOCK = 128;

    // ---------------------------------------------------------------- forward

    /**
     * y (n,cOut,ho,wo) = conv2d(x (n,cIn,h,w), w, bias or null). Returns whether the kernel saw, as it wrote y, that y
     * holds no NaN: true only then (so that an op need not read y again to check it); false when y holds a NaN or the
     * kernel did not look (the im2col path).
     */
    public static boolean forward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        return forward(Simd.ENABLED, s, x, w, bias, y);
    }

    static boolean forward(boolean vector, ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        checkForward("Conv2d.forward", s, x, w, bias, y);
        if (DepthwiseConv3x3.applies(s)) return DepthwiseConv3x3.forward(vector, s, x, w, bias, y);
        if (vector && Simd.ENABLED && DirectConv3x3.applies(s)) return DirectConv3x3.forward(s, x, w, bias, y);
        forwardGeneral(vector, s, x, w, bias, y);
        return false;
    }

    /** The im2col + GEMM path for any shape (depthwise 3×3 included: same bits as the fast path). */
    static void forwardGeneral(boolean vector, ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        checkForward("Conv2d.forward", s, x, w, bias, y);
        if (vector && Simd.ENABLED && !s.pointwise() && s.cOutPerGroup() >= DENSE_MIN_COUT && s.taps() >= DENSE_MIN_TAPS) {
            forwardDense(s, x, w, bias, y);
            return;
        }
        final int pixels = s.ho() * s.wo(), taps = s.taps(), groups = s.groups(), coG = s.cOutPerGroup();
        final int chunk = forwardChunk(taps);
        final int chunks = Parallel.chunkCount(pixels, chunk);
        final int hw = s.h() * s.w();
        Parallel.forTasks(s.n() * groups * chunks, task -> {
            int img = task / (groups * chunks), g = task / chunks % groups, c = task % chunks;
            int p0 = c * chunk, np = Math.min(pixels, p0 + chunk) - p0;
            int xOff = (img * s.cIn() + g * s.cInPerGroup()) * hw;
            float[] col; int colOff, colStride;
            if (s.pointwise()) { col = x; colOff = xOff + p0; colStride = hw; }
            else { col = new float[taps * np]; im2col(s, x, xOff, p0, np, 0, taps, col); colOff = 0; colStride = np; }
            int yOff = (img * s.cOut() + g * coG) * pixels + p0;
            ConvGemm.multiply(vector, coG, np, taps, w, g * coG * taps, taps, 1, col, colOff, colStride, y, yOff, pixels, false);
            if (bias != null)
                for (int co = 0; co < coG; co++) addScalar(vector, y, yOff + co * pixels, np, bias[g * coG + co]);
        });
    }

    /** Output channels per group and taps from which {@link #forwardDense} runs the forward. */
    static final int DENSE_MIN_COUT = 16, DENSE_MIN_TAPS = 64;

    /**
     * The forward of convolutions with many output channels and taps: per block of output pixels,
     * im2col then {@link Gemm} (cache-blocked, 8×3-vector register tiles; the weights stay in cache
     * across a block of up to 2048 pixels, where the ConvGemm path re-read them every 16). Same bits
     * as the ConvGemm path: each output is acc = +0 then fma over the taps ascending (Gemm's order
     * contract), then + bias.
     */
    private static void forwardDense(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        final int pixels = s.ho() * s.wo(), taps = s.taps(), coG = s.cOutPerGroup(), hw = s.h() * s.w();
        final int block = Math.min(pixels, Math.max(64, Math.min(2048, (1 << 20) / taps / 64 * 64)));
        float[] col = new float[taps * block], out = new float[coG * block];
        for (int img = 0; img < s.n(); img++) {
            for (int g = 0; g < s.groups(); g++) {
                int xOff = (img * s.cIn() + g * s.cInPerGroup()) * hw;
                for (int p0 = 0; p0 < pixels; p0 += block) {
                    int np = Math.min(block, pixels - p0), first = p0;
                    int tapsPerTask = Math.max(1, (1 << 15) / np);
                    Parallel.forChunks(taps, tapsPerTask, (t0, t1) -> im2colBlock(s, x, xOff, first, np, t0, t1 - t0, col));
                    Gemm.gemm(false, false, coG, np, taps, w, g * coG * taps, col, 0, out, 0, false);
                    int yOff = (img * s.cOut() + g * coG) * pixels + p0, gg = g;
                    Parallel.forChunks(coG, 16, (c0, c1) -> {
                        for (int co = c0; co < c1; co++) {
                            System.arraycopy(out, co * np, y, yOff + co * pixels, np);
                            if (bias != null) addScalar(true, y, yOff + co * pixels, np, bias[gg * coG + co]);
                        }
                    });
                }
            }
        }
    }

    /** im2col of taps [t0, t0+tb) into rows t0.. of col (rows of np floats). */
    private static void im2colBlock(ConvShape s, float[] x, int xOff, int p0, int np, int t0, int tb, float[] col) {
        float[] part = new float[tb * np];
        im2col(s, x, xOff, p0, np, t0, tb, part);
        System.arraycopy(part, 0, col, t0 * np, tb * np);
    }

    /** Pixels per forward task: keeps the im2col block near 128 KiB (the forward bits do not depend on it). */
    private static int forwardChunk(int taps) {
        return Math.max(16, Math.min(1024, (32768 / taps) / 16 * 16));
    }

    /**
     * col(t − t0, q) for taps t0 ≤ t &lt; t0+tb and output pixels p0 ≤ p0+q &lt; p0+np: the input value
     * under tap t of output pixel p0+q, 0 in the padding. Rows of length np, tap-major.
     */
    static void im2col(ConvShape s, float[] x, int xOff, int p0, int np, int t0, int tb, float[] col) {
        final int wo = s.wo(), h = s.h(), w = s.w(), sw = s.sw(), khw = s.kh() * s.kw();
        for (int t = t0; t < t0 + tb; t++) {
            int ci = t / khw, ky = t % khw / s.kw(), kx = t % s.kw();
            int plane = xOff + ci * h * w;
            int oxLo = firstInside(s.pw() - kx, sw), dx = kx - s.pw();
            int oxHi = Math.min(wo, lastInside(w - 1 + s.pw() - kx, sw) + 1);
            for (int q = 0; q < np; ) {
                int p = p0 + q, oy = p / wo, ox0 = p % wo, len = Math.min(wo - ox0, np - q);
                int dst = (t - t0) * np + q;
                int iy = oy * s.sh() - s.ph() + ky;
                if (iy < 0 || iy >= h) { Arrays.fill(col, dst, dst + len, 0f); q += len; continue; }
                int row = plane + iy * w;
                int a = Math.max(ox0, Math.min(oxLo, ox0 + len)), b = Math.max(a, Math.min(oxHi, ox0 + len));
                Arrays.fill(col, dst, dst + (a - ox0), 0f);
                if (sw == 1) System.arraycopy(x, row + a + dx, col, dst + (a - ox0), b - a);
                else for (int ox = a; ox < b; ox++) col[dst + ox - ox0] = x[row + ox * sw + dx];
                Arrays.fill(col, dst + (b - ox0), dst + len, 0f);
                q += len;
            }
        }
    }

    /** Smallest o ≥ 0 with o·stride ≥ need. */
    private static int firstInside(int need, int stride) {
        return need <= 0 ? 0 : (need + stride - 1) / stride;
    }

    /** Largest o with o·stride ≤ limit (−1 if none). */
    private static int lastInside(int limit, int stride) {
        return limit < 0 ? -1 : limit / stride;
    }

    // ---------------------------------------------------------------- dInput

    /** dx (n,cIn,h,w) = ∂L/∂x given dy (n,cOut,ho,wo); dx is overwritten. */
    public static void backwardInput(ConvShape s, float[] dy, float[] w, float[] dx) {
        backwardInput(Simd.ENABLED, s, dy, w, dx);
    }

    static void backwardInput(boolean vector, ConvShape s, float[] dy, float[] w, float[] dx) {
        checkBackwardInput(s, dy, w, dx);
        if (DepthwiseConv3x3.applies(s)) DepthwiseConv3x3.backwardInput(vector, s, dy, w, dx);
        else if (backwardInputIsConvolution(s)) backwardInputAsConvolution(vector, s, dy, w, dx);
        else backwardInputGeneral(vector, s, dy, w, dx);
    }

    /** Dense 3×3 convolutions with stride 1 and padding 1: their dInput is the forward of another such convolution (and their dWeight {@link DenseConv3x3WeightGrad}). */
    static boolean backwardInputIsConvolution(ConvShape s) {
        return s.groups() == 1 && s.kh() == 3 && s.kw() == 3 && s.sh() == 1 && s.sw() == 1 && s.ph() == 1 && s.pw() == 1;
    }

    /**
     * dx[i, q] = Σ_o Σ_{ky,kx} w[o, i, ky, kx]·dy[o, q − (ky−1, kx−1)] = Σ_o Σ_{ky,kx} w′[i, o, ky, kx]·dy[o, q + (ky−1, kx−1)]
     * with w′[i, o, ky, kx] = w[o, i, 2−ky, 2−kx]: the forward of the 3×3 convolution (cOut → cIn channels, padding 1)
     * of dy with the weights transposed and flipped, so it runs on the forward's fast kernels. Its order of operations
     * is the forward's: one fma chain per output over (o, ky, kx) ascending, from +0.
     */
    private static void backwardInputAsConvolution(boolean vector, ConvShape s, float[] dy, float[] w, float[] dx) {
        int ci = s.cIn(), co = s.cOut();
        float[] flipped = new float[w.length];
        for (int o = 0; o < co; o++)
            for (int i = 0; i < ci; i++)
                for (int t = 0; t < 9; t++) flipped[(i * co + o) * 9 + t] = w[(o * ci + i) * 9 + 8 - t];
        forward(vector, new ConvShape(s.n(), co, s.h(), s.w(), ci, 3, 3, 1, 1, 1, 1, 1), dy, flipped, null, dx);
    }

    static void backwardInputGeneral(boolean vector, ConvShape s, float[] dy, float[] w, float[] dx) {
        checkBackwardInput(s, dy, w, dx);
        final int pixels = s.ho() * s.wo(), taps = s.taps(), khw = s.kh() * s.kw(), coG = s.cOutPerGroup(), ciG = s.cInPerGroup();
        final int hw = s.h() * s.w();
        Parallel.forTasks(s.n() * s.cIn(), task -> {
            int img = task / s.cIn(), ci = task % s.cIn(), g = ci / ciG, ciLocal = ci % ciG;
            int plane = (img * s.cIn() + ci) * hw;
            Arrays.fill(dx, plane, plane + hw, 0f);
            float[] dcol = new float[khw * Math.min(DX_PIXEL_CHUNK, pixels)];
            for (int p0 = 0; p0 < pixels; p0 += DX_PIXEL_CHUNK) {
                int np = Math.min(DX_PIXEL_CHUNK, pixels - p0);
                // dCol(tap, q) = Σ_co w[co, ciLocal, tap] · dy[img, co, p0+q]
                ConvGemm.multiply(vector, khw, np, coG,
                        w, g * coG * taps + ciLocal * khw, 1, taps,
                        dy, (img * s.cOut() + g * coG) * pixels + p0, pixels,
                        dcol, 0, np, false);
                col2im(vector, s, dcol, p0, np, dx, plane);
            }
        });
    }

    /** dx plane += the columns of dcol (khw rows of np pixels) scattered back under their taps. */
    private static void col2im(boolean vector, ConvShape s, float[] dcol, int p0, int np, float[] dx, int plane) {
        final int wo = s.wo(), h = s.h(), w = s.w(), sw = s.sw();
        int t = 0;
        for (int ky = 0; ky < s.kh(); ky++)
            for (int kx = 0; kx < s.kw(); kx++, t++) {
                int oxLo = firstInside(s.pw() - kx, sw), dxo = kx - s.pw();
                int oxHi = Math.min(wo, lastInside(w - 1 + s.pw() - kx, sw) + 1);
                for (int q = 0; q < np; ) {
                    int p = p0 + q, oy = p / wo, ox0 = p % wo, len = Math.min(wo - ox0, np - q);
                    int iy = oy * s.sh() - s.ph() + ky;
                    if (iy >= 0 && iy < h) {
                        int a = Math.max(ox0, Math.min(oxLo, ox0 + len)), b = Math.max(a, Math.min(oxHi, ox0 + len));
                        int src = t * np + q + (a - ox0), row = plane + iy * w + dxo;
                        if (sw == 1) addInto(vector, dx, row + a, dcol, src, b - a);
                        else for (int ox = a; ox < b; ox++) dx[row + ox * sw] += dcol[src + ox - a];
                    }
                    q += len;
                }
            }
    }

    // ---------------------------------------------------------------- dWeight, dBias

    /** dw (cOut, cIn/groups, kh, kw) = ∂L/∂w given x and dy; dw is overwritten. */
    public static void backwardWeight(ConvShape s, float[] x, float[] dy, float[] dw) {
        backwardWeight(Simd.ENABLED, s, x, dy, dw);
    }

    static void backwardWeight(boolean vector, ConvShape s, float[] x, float[] dy, float[] dw) {
        checkBackwardWeight(s, x, dy, dw);
        if (DepthwiseConv3x3.applies(s)) DepthwiseConv3x3.backwardWeight(vector, s, x, dy, dw);
        else if (DenseConv3x3WeightGrad.applies(s)) DenseConv3x3WeightGrad.backwardWeight(vector, s, x, dy, dw);
        else backwardWeightGeneral(vector, s, x, dy, dw);
    }

    static void backwardWeightGeneral(boolean vector, ConvShape s, float[] x, float[] dy, float[] dw) {
        checkBackwardWeight(s, x, dy, dw);
        final int pixels = s.ho() * s.wo(), taps = s.taps(), coG = s.cOutPerGroup();
        final int coBlocks = Parallel.chunkCount(coG, DW_CO_BLOCK), tapBlocks = Parallel.chunkCount(taps, DW_TAP_BLOCK);
        final int chunks = Parallel.chunkCount(pixels, DW_PIXEL_CHUNK), blocks = s.groups() * coBlocks * tapBlocks;
        Arrays.fill(dw, 0f);
        if (blocks < FEW_WEIGHT_BLOCKS && (long) s.n() * chunks * dw.length <= PARTIALS_CAP) {
            backwardWeightByChunks(vector, s, x, dy, dw);
            return;
        }
        Parallel.forTasks(blocks, task -> {
            int g = task / (coBlocks * tapBlocks), co0 = task / tapBlocks % coBlocks * DW_CO_BLOCK, t0 = task % tapBlocks * DW_TAP_BLOCK;
            int cos = Math.min(DW_CO_BLOCK, coG - co0), tb = Math.min(DW_TAP_BLOCK, taps - t0);
            float[] rows = new float[Math.min(DW_PIXEL_CHUNK, pixels) * tb], col = new float[rows.length];
            for (int img = 0; img < s.n(); img++)
                for (int p0 = 0; p0 < pixels; p0 += DW_PIXEL_CHUNK)
                    chunkProduct(vector, s, x, dy, img, g, p0, co0, cos, t0, tb, col, rows, dw, (g * coG + co0) * taps + t0, true);
        });
    }

    /**
     * dW(co, t) (+)= Σ_q dy[img, co, p0+q]·row(q, t) over one pixel chunk (the fma chain from 0, then added to dW when
     * {@code accumulate}) for output channels co0.. (cos of them) and taps t0.. (tb) of group g, into out from {@code at}
     * with rows of cIn/groups·kh·kw floats.
     */
    private static void chunkProduct(boolean vector, ConvShape s, float[] x, float[] dy, int img, int g, int p0, int co0, int cos,
                                     int t0, int tb, float[] col, float[] rows, float[] out, int at, boolean accumulate) {
        int pixels = s.ho() * s.wo(), np = Math.min(DW_PIXEL_CHUNK, pixels - p0), coG = s.cOutPerGroup();
        im2row(s, x, (img * s.cIn() + g * s.cInPerGroup()) * s.h() * s.w(), p0, np, t0, tb, col, rows);
        ConvGemm.multiply(vector, cos, tb, np, dy, (img * s.cOut() + g * coG + co0) * pixels + p0, pixels, 1,
                rows, 0, tb, out, at, s.taps(), accumulate);
    }

    /** Below this many (group, output block, tap block) tasks, the weight gradient is split by pixel chunks instead. */
    private static final int FEW_WEIGHT_BLOCKS = 8;
    /** At most this many floats of per-chunk partial weight gradients. */
    private static final long PARTIALS_CAP = 1L << 23;

    /**
     * The weight gradient of a convolution with few weight blocks (a 1×1 convolution to one channel): each (image, pixel
     * chunk) partial dW computed as its own task, then dW = ((0 + partial_0) + partial_1) + … in (image, chunk) order:
     * the additions of {@link #backwardWeightGeneral}, so the same bits.
     */
    private static void backwardWeightByChunks(boolean vector, ConvShape s, float[] x, float[] dy, float[] dw) {
        final int pixels = s.ho() * s.wo(), taps = s.taps(), coG = s.cOutPerGroup();
        final int chunks = Parallel.chunkCount(pixels, DW_PIXEL_CHUNK), size = dw.length;
        float[] partials = new float[s.n() * chunks * size];
        int items = s.n() * chunks, perTask = 16;
        Parallel.forTasks(Parallel.chunkCount(items, perTask), task -> {
            float[] rows = new float[Math.min(DW_PIXEL_CHUNK, pixels) * Math.min(DW_TAP_BLOCK, taps)], col = new float[rows.length];
            for (int item = task * perTask; item < Math.min(items, (task + 1) * perTask); item++) {
                int img = item / chunks, p0 = item % chunks * DW_PIXEL_CHUNK;
                for (int g = 0; g < s.groups(); g++)
                    for (int t0 = 0; t0 < taps; t0 += DW_TAP_BLOCK)
                        chunkProduct(vector, s, x, dy, img, g, p0, 0, coG, t0, Math.min(DW_TAP_BLOCK, taps - t0), col, rows,
                                partials, item * size + g * coG * taps + t0, false);
            }
        });
        Parallel.forChunks(size, 4096, (from, to) -> {
            for (int c = 0; c < s.n() * chunks; c++) {
                int off = c * size;
                for (int i = from; i < to; i++) dw[i] += partials[off + i];
            }
        });
    }

    /** row(q, t − t0) for t0 ≤ t &lt; t0+tb: the im2col block transposed (pixel-major), using col as scratch. */
    static void im2row(ConvShape s, float[] x, int xOff, int p0, int np, int t0, int tb, float[] col, float[] rows) {
        im2col(s, x, xOff, p0, np, t0, tb, col);
        int wd = TileTranspose.W, tTiled = TileTranspose.AVAILABLE ? tb / wd * wd : 0, qTiled = TileTranspose.AVAILABLE ? np / wd * wd : 0;
        for (int t = 0; t < tTiled; t += wd)                      // W×W register tiles, then the edges element by element
            for (int q = 0; q < qTiled; q += wd) TileTranspose.transpose(col, t * np + q, np, rows, q * tb + t, tb);
        for (int q0 = 0; q0 < np; q0 += 16)
            for (int j = 0; j < tb; j++) {
                int from = j < tTiled ? Math.max(q0, qTiled) : q0;
                for (int q = from, end = Math.min(np, q0 + 16); q < end; q++) rows[q * tb + j] = col[j * np + q];
            }
    }

    /** db (cOut) = Σ over images and pixels of dy, in fixed chunks; db is overwritten. */
    public static void backwardBias(ConvShape s, float[] dy, float[] db) {
        s.checkLength("Conv2d.backwardBias", "dy", dy, s.outputSize());
        s.checkLength("Conv2d.backwardBias", "db", db, s.cOut());
        final int pixels = s.ho() * s.wo();
        Parallel.forTasks(s.cOut(), co -> {
            float sum = 0f;
            for (int img = 0; img < s.n(); img++) {
                int base = (img * s.cOut() + co) * pixels;
                for (int p0 = 0; p0 < pixels; p0 += DB_PIXEL_CHUNK) {
                    float part = 0f;
                    for (int p = p0, end = Math.min(pixels, p0 + DB_PIXEL_CHUNK); p < end; p++) part += dy[base + p];
                    sum += part;
                }
            }
            db[co] = sum;
        });
    }

    // ---------------------------------------------------------------- helpers

    /** a[off .. off+len) += v (one add per element on either path). */
    static void addScalar(boolean vector, float[] a, int off, int len, float v) {
        int i = 0;
        if (vector) {
            FloatVector vv = FloatVector.broadcast(Simd.F, v);
            for (int end = Simd.F.loopBound(len); i < end; i += Simd.F.length())
                FloatVector.fromArray(Simd.F, a, off + i).add(vv).intoArray(a, off + i);
        }
        for (; i < len; i++) a[off + i] = a[off + i] + v;
    }

    /** dst[d .. d+len) += src[s .. s+len) (one add per element on either path). */
    static void addInto(boolean vector, float[] dst, int d, float[] src, int s, int len) {
        int i = 0;
        if (vector) {
            for (int end = Simd.F.loopBound(len); i < end; i += Simd.F.length())
                FloatVector.fromArray(Simd.F, dst, d + i).add(FloatVector.fromArray(Simd.F, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] = dst[d + i] + src[s + i];
    }

    static void checkForward(String kernel, ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        s.checkLength(kernel, "x", x, s.inputSize());
        s.checkLength(kernel, "weight", w, s.weightSize());
        if (bias != null) s.checkLength(kernel, "bias", bias, s.cOut());
        s.checkLength(kernel, "y", y, s.outputSize());
    }

    static void checkBackwardInput(ConvShape s, float[] dy, float[] w, float[] dx) {
        s.checkLength("Conv2d.backwardInput", "dy", dy, s.outputSize());
        s.checkLength("Conv2d.backwardInput", "weight", w, s.weightSize());
        s.checkLength("Conv2d.backwardInput", "dx", dx, s.inputSize());
    }

    static void checkBackwardWeight(ConvShape s, float[] x, float[] dy, float[] dw) {
        s.checkLength("Conv2d.backwardWeight", "x", x, s.inputSize());
        s.checkLength("Conv2d.backwardWeight", "dy", dy, s.outputSize());
        s.checkLength("Conv2d.backwardWeight", "dw", dw, s.weightSize());
    }
}
