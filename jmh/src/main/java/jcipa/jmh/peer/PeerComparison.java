package jcipa.jmh.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import jcipa.tensor.kernels.Conv2d;
import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.Gemm;
import jcipa.tensor.kernels.LayerNorm;
import jcipa.tensor.kernels.SelectiveScan;
import jcipa.tensor.kernels.Simd;
import jcipa.tensor.parallel.Parallel;

/**
 * Our kernels against PyTorch on CPU (through DJL, the native library loaded offline from the
 * pytorch-native-cpu jar) on the same ops at sigma_tiny 512×512 shapes, same inputs, same thread
 * count. Prints our median, theirs and the ratio theirs/ours (> 1: we are faster), and the largest
 * difference between the two outputs as a sanity check. Run: {@code ./cipa peer [--threads N]
 * [--repeat R] [--warmup W] [--no-scan]}.
 */
public final class PeerComparison {
    private PeerComparison() {}

    record Row(String op, double ours, double theirs, double maxDiff) {}

    public static void main(String[] args) {
        int threads = 2, repeat = 5, warmup = 2;
        boolean scan = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--no-scan" -> scan = false;
                default -> throw new IllegalArgumentException("peer: unknown argument " + args[i]
                        + " (use --threads N, --repeat R, --warmup W, --no-scan)");
            }
        }
        // Offline: the native library comes from the jar on the class path, nothing is downloaded.
        System.setProperty("offline", "true");
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Parallel.setThreads(threads);
        Engine engine = Engine.getEngine("PyTorch");
        System.out.printf("peer: PyTorch %s through DJL %s (%s); ours: %s; %d thread(s) each%n", engine.getVersion(),
                Engine.getDjlVersion(), engine.getClass().getSimpleName(), Simd.describe(), threads);
        List<Row> rows = new ArrayList<>();
        try (NDManager m = engine.newBaseManager()) {
            rows.add(linear(m, warmup, repeat));
            rows.add(conv(m, "depthwise 3x3 192@128x128", ConvShape.of(1, 192, 128, 128, 192, 3, 1, 1, 192), warmup, repeat));
            rows.add(conv(m, "dense 3x3 96->24@128x128", ConvShape.of(1, 96, 128, 128, 24, 3, 1, 1, 1), warmup, repeat));
            rows.add(conv(m, "dense 3x3 192->192@128x128", ConvShape.of(1, 192, 128, 128, 192, 3, 1, 1, 1), warmup, repeat));
            rows.add(layerNorm(m, warmup, repeat));
            if (scan) rows.add(scan(m, 1, Math.min(repeat, 3)));
        }
        System.out.printf("%n%-30s %12s %14s %8s %10s%n", "op", "jcipa ms", "pytorch ms", "ratio", "max|diff|");
        for (Row r : rows)
            System.out.printf("%-30s %12.2f %14.2f %8.2f %10.1e%n", r.op, r.ours * 1e3, r.theirs * 1e3, r.theirs / r.ours, r.maxDiff);
        System.out.println("(ratio = pytorch / jcipa: above 1 means jcipa is faster)");
    }

    static Row linear(NDManager m, int warmup, int repeat) {
        int rows = 16384, k = 96, n = 384;
        SplittableRandom r = new SplittableRandom(2);
        float[] x = uniform(r, rows * k, -1, 1), w = uniform(r, n * k, -0.1f, 0.1f), y = new float[rows * n];
        NDArray tx = m.create(x, new Shape(rows, k)), twT = m.create(w, new Shape(n, k)).transpose().duplicate();
        double ours = time(warmup, repeat, () -> Gemm.linear(x, w, y, rows, k, n));
        double theirs = timeTorch(warmup, repeat, () -> TorchOps.linear(tx, twT));
        return new Row("linear 16384x96->384", ours, theirs, maxDiff(y, TorchOps.linear(tx, twT)));
    }

    static Row conv(NDManager m, String name, ConvShape s, int warmup, int repeat) {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = uniform(r, s.inputSize(), -1, 1), w = uniform(r, s.weightSize(), -0.3f, 0.3f);
        float[] b = uniform(r, s.cOut(), -0.1f, 0.1f), y = new float[s.outputSize()];
        NDArray tx = m.create(x, new Shape(s.n(), s.cIn(), s.h(), s.w()));
        NDArray tw = m.create(w, new Shape(s.cOut(), s.cIn() / s.groups(), s.kh(), s.kw()));
        NDArray tb = m.create(b, new Shape(s.cOut()));
        double ours = time(warmup, repeat, () -> Conv2d.forward(s, x, w, b, y));
        double theirs = timeTorch(warmup, repeat, () -> TorchOps.conv3x3(tx, tw, tb, s.groups()));
        return new Row(name, ours, theirs, maxDiff(y, TorchOps.conv3x3(tx, tw, tb, s.groups())));
    }

    static Row layerNorm(NDManager m, int warmup, int repeat) {
        int rows = 128 * 128, cols = 96;
        SplittableRandom r = new SplittableRandom(4);
        float[] x = uniform(r, rows * cols, -2, 2), g = uniform(r, cols, 0.5f, 1.5f), bt = uniform(r, cols, -0.5f, 0.5f);
        float[] y = new float[rows * cols], mean = new float[rows], rstd = new float[rows];
        NDArray tx = m.create(x, new Shape(rows, cols)), tg = m.create(g, new Shape(cols)), tb = m.create(bt, new Shape(cols));
        double ours = time(warmup, repeat, () -> LayerNorm.forward(x, g, bt, y, mean, rstd, rows, cols, 1e-5f));
        double theirs = timeTorch(warmup, repeat, () -> TorchOps.layerNorm(tx, tg, tb, cols));
        return new Row("layer norm 16384x96", ours, theirs, maxDiff(y, TorchOps.layerNorm(tx, tg, tb, cols)));
    }

    static Row scan(NDManager m, int warmup, int repeat) {
        int K = 4, DG = 192, N = 16, L = 128 * 128, d = K * DG;
        SplittableRandom r = new SplittableRandom(1);
        float[] u = uniform(r, d * L, -1, 1), delta = uniform(r, d * L, -4, -1), A = uniform(r, d * N, -8, -0.5f);
        float[] B = uniform(r, K * N * L, -1, 1), C = uniform(r, K * N * L, -1, 1);
        float[] D = uniform(r, d, -1, 1), bias = uniform(r, d, -1, 1), y = new float[d * L];
        NDArray tu = m.create(u, new Shape(1, d, L)), td = m.create(delta, new Shape(1, d, L)), tA = m.create(A, new Shape(d, N));
        NDArray tB = m.create(B, new Shape(1, K, N, L)), tC = m.create(C, new Shape(1, K, N, L));
        NDArray tD = m.create(D, new Shape(d)), tbias = m.create(bias, new Shape(d));
        double ours = time(warmup, repeat, () -> SelectiveScan.forward(u, delta, A, B, C, D, bias, 1, K, DG, L, N, y));
        double theirs = timeTorch(warmup, repeat, () -> TorchOps.selectiveScanRef(m, tu, td, tA, tB, tC, tD, tbias, K));
        return new Row("scan D=768 N=16 L=16384", ours, theirs, maxDiff(y, TorchOps.selectiveScanRef(m, tu, td, tA, tB, tC, tD, tbias, K)));
    }

    static double time(int warmup, int repeat, Runnable body) {
        for (int i = 0; i < warmup; i++) body.run();
        double[] s = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            body.run();
            s[i] = (System.nanoTime() - t0) * 1e-9;
        }
        return median(s);
    }

    /** Times a torch computation; its result is closed after each run (the clock stops first). */
    static double timeTorch(int warmup, int repeat, Supplier<NDArray> body) {
        for (int i = 0; i < warmup; i++) body.get().close();
        double[] s = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            NDArray out = body.get();
            s[i] = (System.nanoTime() - t0) * 1e-9;
            out.close();
        }
        return median(s);
    }

    static double maxDiff(float[] ours, NDArray theirs) {
        float[] t = theirs.toFloatArray();
        theirs.close();
        if (t.length != ours.length) throw new IllegalStateException("peer: output sizes differ: " + ours.length + " vs " + t.length);
        double mx = 0;
        for (int i = 0; i < t.length; i++) mx = Math.max(mx, Math.abs(ours[i] - t[i]));
        return mx;
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    static float[] uniform(SplittableRandom r, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return x;
    }
}
