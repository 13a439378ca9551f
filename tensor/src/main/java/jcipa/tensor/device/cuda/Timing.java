package jcipa.tensor.device.cuda;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import jcipa.tensor.device.CpuBackend;
import jcipa.tensor.kernels.ConvShape;

/**
 * Kernel timings at sigma_tiny 512² stage-0 sizes, GPU (copies included) beside the CPU kernels:
 * median of 5 after one warm-up. For docs/cuda.md; not a test.
 */
final class Timing {
    private Timing() {}

    interface Body { void run(); }

    static double medianMs(Body b) {
        b.run();
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            b.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[2];
    }

    static void run(CudaBackend gpu, PrintStream out) {
        SplittableRandom r = new SplittableRandom(1);
        int batch = 1, K = 4, Dg = 192, L = 128 * 128, N = 16, seq = batch * K * Dg * L, proj = batch * K * N * L;
        float[] u = f(r, seq, -2, 2), dl = f(r, seq, -3, 1), B = f(r, proj, -2, 2), C = f(r, proj, -2, 2), A = f(r, K * Dg * N, -4, -0.2);
        float[] D = f(r, K * Dg, -1, 1), bias = f(r, K * Dg, -1, 1), y = new float[seq], dy = f(r, seq, -1, 1);
        float[] du = new float[seq], dd = new float[seq], dA = new float[K * Dg * N], dB = new float[proj], dC = new float[proj];
        float[] dD = new float[K * Dg], dBias = new float[K * Dg];
        out.printf(Locale.ROOT, "timing (median of 5, ms; GPU times include the host<->device copies)%n");
        out.printf(Locale.ROOT, "  scan fwd  K=4 Dg=192 L=16384 N=16: gpu %8.2f  cpu %8.2f%n",
                medianMs(() -> gpu.selectiveScanForward(u, dl, A, B, C, D, bias, batch, K, Dg, L, N, y)),
                medianMs(() -> CpuBackend.INSTANCE.selectiveScanForward(u, dl, A, B, C, D, bias, batch, K, Dg, L, N, y)));
        CudaBackend.singleLaunchScan = true;
        out.printf(Locale.ROOT, "  scan fwd  (one thread per channel):   gpu %8.2f%n",
                medianMs(() -> gpu.selectiveScanForward(u, dl, A, B, C, D, bias, batch, K, Dg, L, N, y)));
        CudaBackend.singleLaunchScan = false;
        out.printf(Locale.ROOT, "  scan bwd  K=4 Dg=192 L=16384 N=16: gpu %8.2f  cpu %8.2f%n",
                medianMs(() -> gpu.selectiveScanBackward(u, dl, A, B, C, D, bias, batch, K, Dg, L, N, dy, du, dd, dA, dB, dC, dD, dBias)),
                medianMs(() -> CpuBackend.INSTANCE.selectiveScanBackward(u, dl, A, B, C, D, bias, batch, K, Dg, L, N, dy, du, dd, dA, dB, dC, dD, dBias)));
        int m = L, k = 96, n = 384;
        float[] x = f(r, m * k, -1, 1), w = f(r, n * k, -1, 1), out1 = new float[m * n];
        out.printf(Locale.ROOT, "  linear    M=16384 K=96 N=384:       gpu %8.2f  cpu %8.2f%n",
                medianMs(() -> gpu.gemmBatched(1, false, true, m, n, k, x, 0, 0, w, 0, 0, out1, 0, 0, false)),
                medianMs(() -> CpuBackend.INSTANCE.gemmBatched(1, false, true, m, n, k, x, 0, 0, w, 0, 0, out1, 0, 0, false)));
        ConvShape dense = new ConvShape(1, 256, 128, 128, 85, 3, 3, 1, 1, 1, 1, 1), dw = new ConvShape(1, 192, 128, 128, 192, 3, 3, 1, 1, 1, 1, 192);
        for (ConvShape s : new ConvShape[] {dense, dw}) {
            float[] cx = f(r, s.inputSize(), -1, 1), cw = f(r, s.weightSize(), -1, 1), cb = f(r, s.cOut(), -1, 1), cy = new float[s.outputSize()];
            out.printf(Locale.ROOT, "  conv fwd  %-40s gpu %8.2f  cpu %8.2f%n", s.cIn() + "->" + s.cOut() + " 3x3 groups " + s.groups() + " 128x128:",
                    medianMs(() -> gpu.conv2dForward(s, cx, cw, cb, cy)), medianMs(() -> CpuBackend.INSTANCE.conv2dForward(s, cx, cw, cb, cy)));
        }
    }

    private static float[] f(SplittableRandom r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }
}
