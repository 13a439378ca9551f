package jcipa.tensor.kernels;

import java.util.Random;

/**
 * Prints one hash of the output bits of every dense kernel (Gemm, Reduce, LayerNorm, BatchNorm, dense
 * convolution) and of the selective scans (forward and backward, op-by-op and channels-last) on fixed problems. {@link CrossWidthBitsTest} runs it in JVMs with different vector widths and with
 * SIMD off: the hashes must agree.
 */
public final class DenseBitsDigest {
    private DenseBitsDigest() {}

    public static void main(String[] args) {
        System.out.println("digest " + Long.toHexString(digest()) + " " + Simd.describe());
    }

    static long digest() {
        long h = 1125899906842597L;
        Random r = new Random(2024);
        // GEMM in all layouts, with ragged sizes and an accumulate.
        int[][] shapes = {{37, 53, 29}, {130, 17, 257}, {3, 100, 64}, {257, 96, 96}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = DenseTestData.floats(r, 2 * m * k, 1), b = DenseTestData.floats(r, 2 * k * n, 1), c0 = DenseTestData.floats(r, 2 * m * n, 1);
            for (int layout = 0; layout < 4; layout++) {
                float[] c = c0.clone();
                Gemm.gemmBatched(2, (layout & 1) != 0, (layout & 2) != 0, m, n, k, a, 0, m * k, b, 0, k * n, c, 0, m * n, layout == 3);
                h = mix(h, c);
            }
        }
        // Reductions.
        float[] x = DenseTestData.floats(r, 3 * 5000 * 7, 2);
        h = mix(h, new float[] {Reduce.sumAll(x, 0, x.length), Reduce.sum(x, 3, 4999), Reduce.sumSquaredDeviations(x, 1, 333, 0.1f),
                Reduce.dot(x, 0, x, 7, 1000), Reduce.dotDeviations(x, 0, -0.2f, x, 9, 777)});
        float[] s1 = new float[3 * 7], s2 = new float[3 * 5000];
        Reduce.sumAxis(x, 3, 5000, 7, s1);
        Reduce.meanAxis(x, 3, 7, 5000, s2);
        h = mix(mix(h, s1), s2);
        // LayerNorm forward and backward.
        int rows = 9, cols = 771;
        float[] lx = DenseTestData.floats(r, rows * cols, 3), w = DenseTestData.floats(r, cols, 1), b = DenseTestData.floats(r, cols, 1);
        float[] dy = DenseTestData.floats(r, rows * cols, 1), y = new float[rows * cols], mean = new float[rows], rstd = new float[rows];
        float[] dx = new float[rows * cols], dw = new float[cols], db = new float[cols];
        LayerNorm.forward(lx, w, b, y, mean, rstd, rows, cols, 1e-5f);
        LayerNorm.backward(lx, w, mean, rstd, dy, dx, dw, db, rows, cols);
        h = mix(mix(mix(mix(mix(mix(h, y), mean), rstd), dx), dw), db);
        // BatchNorm train and eval, forward and backward.
        int n = 2, c = 3, hw = 999;
        float[] bx = DenseTestData.floats(r, n * c * hw, 2), bw = DenseTestData.floats(r, c, 1), bb = DenseTestData.floats(r, c, 1);
        float[] bdy = DenseTestData.floats(r, n * c * hw, 1), by = new float[n * c * hw], bdx = new float[n * c * hw];
        float[] bm = new float[c], br = new float[c], rm = {0.1f, 0.2f, 0.3f}, rv = {1f, 2f, 3f}, bdw = new float[c], bdb = new float[c];
        BatchNorm.forwardTrain(bx, bw, bb, by, bm, br, rm, rv, n, c, hw, 1e-5f, 0.1f);
        BatchNorm.backwardTrain(bx, bw, bm, br, bdy, bdx, bdw, bdb, n, c, hw);
        h = mix(mix(mix(mix(mix(mix(mix(mix(h, by), bm), br), rm), rv), bdx), bdw), bdb);
        BatchNorm.forwardEval(bx, bw, bb, rm, rv, by, n, c, hw, 1e-5f);
        BatchNorm.backwardEval(bx, bw, rm, rv, 1e-5f, bdy, bdx, bdw, bdb, n, c, hw);
        h = mix(mix(mix(mix(h, by), bdx), bdw), bdb);
        // Dense 3×3 convolution (stride 1, padding 1): forward, dInput (the transposed forward), dWeight (16 chains).
        ConvShape cs = ConvShape.of(2, 19, 11, 13, 10, 3, 1, 1, 1);
        float[] cx = DenseTestData.floats(r, cs.inputSize(), 1), cw = DenseTestData.floats(r, cs.weightSize(), 1);
        float[] cdy = DenseTestData.floats(r, cs.outputSize(), 1);
        float[] cy = new float[cs.outputSize()], cdx = new float[cs.inputSize()], cdw = new float[cs.weightSize()];
        Conv2d.forward(cs, cx, cw, null, cy);
        Conv2d.backwardInput(cs, cdy, cw, cdx);
        Conv2d.backwardWeight(cs, cx, cdy, cdw);
        h = mix(mix(mix(h, cy), cdx), cdw);
        return mix(h, scans(r));
    }

    /**
     * The selective scan's forward and backward from kept states (channel blocks with a partial one, three segments,
     * batch 2), and the channels-last SS2D core's forward and backward: every output bit, one array.
     */
    private static float[] scans(Random r) {
        int batch = 2, groups = 2, dg = 37, L = 2 * ScanBlock.SEGMENT + 9, N = 5, d = groups * dg;
        float[] u = DenseTestData.floats(r, batch * d * L, 1), delta = DenseTestData.floats(r, batch * d * L, 1);
        float[] A = DenseTestData.floats(r, d * N, 1), B = DenseTestData.floats(r, batch * groups * N * L, 1);
        float[] C = DenseTestData.floats(r, batch * groups * N * L, 1), D = DenseTestData.floats(r, d, 1);
        float[] bias = DenseTestData.floats(r, d, 1), dy = DenseTestData.floats(r, batch * d * L, 1);
        for (int i = 0; i < A.length; i++) A[i] = -Math.abs(A[i]) - 0.1f;
        SelectiveScan.Dims dims = new SelectiveScan.Dims(batch, groups, dg, L, N);
        float[] y = new float[u.length], du = new float[u.length], dDelta = new float[u.length], dA = new float[A.length];
        float[] dB = new float[B.length], dC = new float[C.length], dD = new float[d], dBias = new float[d];
        SelectiveScan.States states = SelectiveScan.forwardKeepingStates(u, delta, A, B, C, D, bias, dims, y);
        SelectiveScan.backward(u, delta, A, B, C, D, bias, dims, dy, du, dDelta, dA, dB, dC, dD, dBias, states);

        int H = 13, W = 23, ch = 37, R = 3, K = CrossSelectiveScan.DIRECTIONS, P = R + 2 * N;
        float[] x = DenseTestData.floats(r, batch * H * W * ch, 1), gy = DenseTestData.floats(r, batch * H * W * ch, 1);
        float[] xProjW = DenseTestData.floats(r, K * P * ch, 0.3f), dtW = DenseTestData.floats(r, K * ch * R, 0.5f);
        float[] dtBias = DenseTestData.floats(r, K * ch, 1), A4 = DenseTestData.floats(r, K * ch * N, 1), Ds = DenseTestData.floats(r, K * ch, 1);
        for (int i = 0; i < A4.length; i++) A4[i] = -Math.abs(A4[i]) - 0.1f;
        float[] xy = new float[x.length], dx = new float[x.length], dXProjW = new float[xProjW.length], dDtW = new float[dtW.length];
        float[] dDtBias = new float[dtBias.length], dA4 = new float[A4.length], dDs = new float[Ds.length];
        CrossSelectiveScan.Kept kept = CrossSelectiveScan.forwardKeeping(x, xProjW, dtW, dtBias, A4, Ds, batch, H, W, ch, R, N, xy);
        CrossSelectiveScan.backward(x, gy, xProjW, dtW, dtBias, A4, Ds, batch, H, W, ch, R, N, kept, dx, dXProjW, dDtW, dDtBias, dA4, dDs);

        float[][] all = {y, du, dDelta, dA, dB, dC, dD, dBias, xy, dx, dXProjW, dDtW, dDtBias, dA4, dDs};
        int size = 0;
        for (float[] a : all) size += a.length;
        float[] out = new float[size];
        int at = 0;
        for (float[] a : all) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    private static long mix(long h, float[] v) {
        for (float f : v) h = (h ^ Float.floatToRawIntBits(f)) * 0x100000001b3L;
        return h;
    }
}
