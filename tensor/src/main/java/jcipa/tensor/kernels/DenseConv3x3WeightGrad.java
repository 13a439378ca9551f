package jcipa.tensor.kernels;

import jcipa.tensor.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of dense 3×3 convolutions with stride 1 and padding 1 (the decoder's CAB and conv stacks),
 * without im2col:
 * <pre>
 *   dW[o, i, ky, kx] = Σ_img Σ_(oy,ox) dy[img, o, oy, ox] · x[img, i, oy + ky − 1, ox + kx − 1]      (0 outside x)
 * </pre>
 * On the padded grid of width G = W + 2 (zero border), output pixel (oy, ox) is position p = oy·G + ox and its tap
 * (ky, kx) reads the padded input at p + ky·G + kx, so every (o, i, ky, kx) is a dot product of two contiguous runs:
 * dy placed on the grid (zero in the two columns past each row, and up to a multiple of 16 positions) and the
 * padded input shifted by ky·G + kx.
 *
 * <p><b>Order of operations.</b> Per image, 16 chains: chain j = fma over the positions p ≡ j (mod 16) ascending,
 * from +0; the image's value is {@link BlockSums#tree} of the 16 chains; dW is the first image's value plus the
 * next images' in order. A vector of 16 lanes holds the 16 chains (two vectors of 8 or four of 4 on narrower
 * machines), so every width and the scalar loop give the same bits. Bound against the exact sum:
 * (⌈P′/16⌉ + 4 + n)·u·Σ|dy·x|, P′ = H·G rounded up to 16.
 *
 * <p>Work: tasks of 8 output channels × 1 input channel (16-lane machines: 8 × 3 tap vectors in registers per
 * kernel row ky); the padded copies are made once per call.
 */
final class DenseConv3x3WeightGrad {
    private DenseConv3x3WeightGrad() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Chains per output: one 16-lane vector, summed by {@link BlockSums}' tree. */
    static final int CHAINS = BlockSums.ROW;
    /** Output channels per task. */
    private static final int CO_TILE = 8;

    static boolean applies(ConvShape s) {
        return Conv2d.backwardInputIsConvolution(s);
    }

    /** Positions of the grid walked per image: H·G rounded up to a multiple of 16. */
    static int gridPositions(ConvShape s) {
        return (s.h() * (s.w() + 2) + CHAINS - 1) / CHAINS * CHAINS;
    }

    /** dw (cOut, cIn, 3, 3), overwritten. */
    static void backwardWeight(boolean vector, ConvShape s, float[] x, float[] dy, float[] dw) {
        int n = s.n(), ci = s.cIn(), co = s.cOut(), h = s.h(), w = s.w(), G = w + 2;
        int P = gridPositions(s), plane = P + 2 * G + 2;                 // the last position's tap reads p + 2G + 2 − 1
        float[] dyGrid = new float[n * co * P], xPadded = new float[n * ci * plane];
        Parallel.forTasks(n * co, t -> {
            for (int oy = 0; oy < h; oy++) System.arraycopy(dy, (t * h + oy) * w, dyGrid, t * P + oy * G, w);
        });
        DirectConv3x3.padInto(x, n * ci, h, w, xPadded, plane);
        boolean wide = vector && Simd.ENABLED && L == 16;
        boolean lanes = vector && Simd.ENABLED && CHAINS % L == 0 && L >= 4;
        int coTiles = (co + CO_TILE - 1) / CO_TILE;
        Parallel.forTasks(coTiles * ci, task -> {
            int o0 = task / ci * CO_TILE, i = task % ci, rows = Math.min(CO_TILE, co - o0);
            float[] chains = new float[CO_TILE * 3 * CHAINS];
            for (int img = 0; img < n; img++) {
                int xBase = (img * ci + i) * plane, dyBase = (img * co + o0) * P;
                for (int ky = 0; ky < 3; ky++) {
                    int xAt = xBase + ky * G;
                    if (wide && rows == CO_TILE) eightChannels(dyGrid, dyBase, P, xPadded, xAt, chains);
                    else if (lanes) for (int r = 0; r < rows; r++) oneChannel(dyGrid, dyBase + r * P, P, xPadded, xAt, chains, r * 3 * CHAINS);
                    else for (int r = 0; r < rows; r++) oneChannelScalar(dyGrid, dyBase + r * P, P, xPadded, xAt, chains, r * 3 * CHAINS);
                    for (int r = 0; r < rows; r++)
                        for (int kx = 0; kx < 3; kx++) {
                            float v = BlockSums.tree(chains, (r * 3 + kx) * CHAINS);
                            int at = (((o0 + r) * ci + i) * 3 + ky) * 3 + kx;
                            dw[at] = img == 0 ? v : dw[at] + v;
                        }
                }
            }
        });
    }

    /**
     * Output channels o0..o0+7 of one kernel row: chains[(r·3 + kx)·16 + j] = Σ_{p ≡ j} dy[r][p]·x[at + p + kx] over the
     * grid, one 16-lane vector per (r, kx), 24 in registers.
     */
    private static void eightChannels(float[] dy, int dyBase, int P, float[] x, int at, float[] chains) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a10 = z, a11 = z, a12 = z, a20 = z, a21 = z, a22 = z, a30 = z, a31 = z, a32 = z;
        FloatVector a40 = z, a41 = z, a42 = z, a50 = z, a51 = z, a52 = z, a60 = z, a61 = z, a62 = z, a70 = z, a71 = z, a72 = z;
        for (int p = 0; p < P; p += 16) {
            FloatVector x0 = FloatVector.fromArray(F, x, at + p), x1 = FloatVector.fromArray(F, x, at + p + 1);
            FloatVector x2 = FloatVector.fromArray(F, x, at + p + 2);
            FloatVector d = FloatVector.fromArray(F, dy, dyBase + p);
            a00 = d.fma(x0, a00); a01 = d.fma(x1, a01); a02 = d.fma(x2, a02);
            d = FloatVector.fromArray(F, dy, dyBase + P + p);
            a10 = d.fma(x0, a10); a11 = d.fma(x1, a11); a12 = d.fma(x2, a12);
            d = FloatVector.fromArray(F, dy, dyBase + 2 * P + p);
            a20 = d.fma(x0, a20); a21 = d.fma(x1, a21); a22 = d.fma(x2, a22);
            d = FloatVector.fromArray(F, dy, dyBase + 3 * P + p);
            a30 = d.fma(x0, a30); a31 = d.fma(x1, a31); a32 = d.fma(x2, a32);
            d = FloatVector.fromArray(F, dy, dyBase + 4 * P + p);
            a40 = d.fma(x0, a40); a41 = d.fma(x1, a41); a42 = d.fma(x2, a42);
            d = FloatVector.fromArray(F, dy, dyBase + 5 * P + p);
            a50 = d.fma(x0, a50); a51 = d.fma(x1, a51); a52 = d.fma(x2, a52);
            d = FloatVector.fromArray(F, dy, dyBase + 6 * P + p);
            a60 = d.fma(x0, a60); a61 = d.fma(x1, a61); a62 = d.fma(x2, a62);
            d = FloatVector.fromArray(F, dy, dyBase + 7 * P + p);
            a70 = d.fma(x0, a70); a71 = d.fma(x1, a71); a72 = d.fma(x2, a72);
        }
        a00.intoArray(chains, 0); a01.intoArray(chains, 16); a02.intoArray(chains, 32);
        a10.intoArray(chains, 48); a11.intoArray(chains, 64); a12.intoArray(chains, 80);
        a20.intoArray(chains, 96); a21.intoArray(chains, 112); a22.intoArray(chains, 128);
        a30.intoArray(chains, 144); a31.intoArray(chains, 160); a32.intoArray(chains, 176);
        a40.intoArray(chains, 192); a41.intoArray(chains, 208); a42.intoArray(chains, 224);
        a50.intoArray(chains, 240); a51.intoArray(chains, 256); a52.intoArray(chains, 272);
        a60.intoArray(chains, 288); a61.intoArray(chains, 304); a62.intoArray(chains, 320);
        a70.intoArray(chains, 336); a71.intoArray(chains, 352); a72.intoArray(chains, 368);
    }

    /**
     * One output channel of one kernel row at any width W dividing 16: chains[out + kx·16 + j], the 16 chains as 16/W
     * vectors per tap (lanes j..j+W−1 take positions p + j), accumulated a vector per 16 positions.
     */
    private static void oneChannel(float[] dy, int dyAt, int P, float[] x, int at, float[] chains, int out) {
        for (int v = 0; v < CHAINS; v += L) {
            FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0;
            for (int p = v; p < P; p += CHAINS) {
                FloatVector d = FloatVector.fromArray(F, dy, dyAt + p);
                c0 = d.fma(FloatVector.fromArray(F, x, at + p), c0);
                c1 = d.fma(FloatVector.fromArray(F, x, at + p + 1), c1);
                c2 = d.fma(FloatVector.fromArray(F, x, at + p + 2), c2);
            }
            c0.intoArray(chains, out + v);
            c1.intoArray(chains, out + CHAINS + v);
            c2.intoArray(chains, out + 2 * CHAINS + v);
        }
    }

    /** The scalar twin of {@link #oneChannel}: chain j of tap kx takes positions p ≡ j ascending, fma from +0. */
    private static void oneChannelScalar(float[] dy, int dyAt, int P, float[] x, int at, float[] chains, int out) {
        for (int j = 0; j < CHAINS; j++) {
            float c0 = 0f, c1 = 0f, c2 = 0f;
            for (int p = j; p < P; p += CHAINS) {
                float d = dy[dyAt + p];
                c0 = Math.fma(d, x[at + p], c0);
                c1 = Math.fma(d, x[at + p + 1], c1);
                c2 = Math.fma(d, x[at + p + 2], c2);
            }
            chains[out + j] = c0;
            chains[out + CHAINS + j] = c1;
            chains[out + 2 * CHAINS + j] = c2;
        }
    }
}
