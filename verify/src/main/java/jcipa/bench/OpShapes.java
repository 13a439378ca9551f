package jcipa.bench;

import java.util.SplittableRandom;

import jcipa.tensor.kernels.Conv2d;
import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.Gemm;
import jcipa.tensor.kernels.LayerNorm;
import jcipa.tensor.kernels.SelectiveScan;

/**
 * The kernels at sigma_tiny 512×512 shapes, each a Runnable over its own seeded arrays (the same
 * shapes and value ranges the peer comparison in jmh/ uses).
 */
public final class OpShapes {
    private OpShapes() {}

    /** Selective scan of one stage-0 SS2D call: K = 4 groups of 192 channels (D = 768), N = 16, L = 128·128. */
    public static final int SCAN_K = 4, SCAN_DG = 192, SCAN_N = 16, SCAN_L = 128 * 128;

    public static Runnable scanForward() {
        SplittableRandom r = new SplittableRandom(1);
        int d = SCAN_K * SCAN_DG, L = SCAN_L;
        float[] u = uniform(r, d * L, -1, 1), delta = uniform(r, d * L, -4, -1), A = uniform(r, d * SCAN_N, -8, -0.5f);
        float[] B = uniform(r, SCAN_K * SCAN_N * L, -1, 1), C = uniform(r, SCAN_K * SCAN_N * L, -1, 1);
        float[] D = uniform(r, d, -1, 1), bias = uniform(r, d, -1, 1), y = new float[d * L];
        return () -> SelectiveScan.forward(u, delta, A, B, C, D, bias, 1, SCAN_K, SCAN_DG, L, SCAN_N, y);
    }

    /** Stage-0 in_proj: x (16384, 96) · Wᵀ, W (384, 96). */
    public static Runnable linear() {
        int m = 16384, k = 96, n = 384;
        SplittableRandom r = new SplittableRandom(2);
        float[] x = uniform(r, m * k, -1, 1), w = uniform(r, n * k, -0.1f, 0.1f), y = new float[m * n];
        return () -> Gemm.linear(x, w, y, m, k, n);
    }

    /** SS2D's depthwise 3×3 convolution at stage 0: (1, 192, 128, 128), padding 1, with bias. */
    public static Runnable depthwiseConv() {
        return conv(ConvShape.of(1, 192, 128, 128, 192, 3, 1, 1, 192));
    }

    /** A dense 3×3 convolution of the region stem at stage 0: (1, 96, 128, 128) → 24 channels, padding 1, with bias. */
    public static Runnable denseConv() {
        return conv(ConvShape.of(1, 96, 128, 128, 24, 3, 1, 1, 1));
    }

    private static Runnable conv(ConvShape s) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = uniform(r, s.inputSize(), -1, 1), w = uniform(r, s.weightSize(), -0.3f, 0.3f);
        float[] bias = uniform(r, s.cOut(), -0.1f, 0.1f), y = new float[s.outputSize()];
        return () -> Conv2d.forward(s, x, w, bias, y);
    }

    /** Stage-0 LayerNorm: 16384 rows of 96 channels. */
    public static Runnable layerNorm() {
        int rows = 128 * 128, cols = 96;
        SplittableRandom r = new SplittableRandom(4);
        float[] x = uniform(r, rows * cols, -2, 2), w = uniform(r, cols, 0.5f, 1.5f), b = uniform(r, cols, -0.5f, 0.5f);
        float[] y = new float[rows * cols], mean = new float[rows], rstd = new float[rows];
        return () -> LayerNorm.forward(x, w, b, y, mean, rstd, rows, cols, 1e-5f);
    }

    static float[] uniform(SplittableRandom r, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return x;
    }
}
