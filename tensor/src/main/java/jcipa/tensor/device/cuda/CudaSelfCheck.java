package jcipa.tensor.device.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import jcipa.tensor.device.DeviceUnavailableException;
import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.SelectiveScan;
import jcipa.tensor.ref.Conv2dRef;
import jcipa.tensor.ref.GemmRef;
import jcipa.tensor.ref.SelectiveScanRef;

/**
 * Checks every CUDA kernel against the float64 references on random problems (fresh inputs each
 * case, outputs poisoned with NaN first so an unwritten element fails), with the CPU kernels'
 * error bounds: max|gpu − ref| ≤ tol·M, M the largest magnitude of the same problem on |inputs|
 * (a bound on the sum of |terms| behind each element); tol = 1e-5 for the scan (as
 * {@link SelectiveScan}), (terms + 2)·2⁻²⁴ for products and convolutions (as Gemm and Conv2d).
 * The forward kernels must also give the CPU kernels' bits exactly.
 * Used by CudaBackendTest and runnable on a GPU machine: {@code java -cp ... jcipa.tensor.device.cuda.CudaSelfCheck}.
 */
public final class CudaSelfCheck {
    private static final double U = Math.scalb(1.0, -24);
    private final CudaBackend gpu;
    private final SplittableRandom rng = new SplittableRandom(20261126);
    private final List<String> failures = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    private CudaSelfCheck(CudaBackend gpu) { this.gpu = gpu; }

    /** Runs every case; returns the failure descriptions (empty when all pass). Lines go to {@code log}. */
    public static List<String> run(java.io.PrintStream log) throws DeviceUnavailableException {
        CudaSelfCheck c = new CudaSelfCheck(CudaBackend.open());
        log.println("device: " + c.gpu.description());
        c.gemmCases();
        c.scanCases();
        c.convCases();
        c.lines.forEach(log::println);
        return c.failures;
    }

    public static void main(String[] args) throws Exception {
        List<String> f = run(System.out);
        System.out.println(f.isEmpty() ? "CUDA self-check: all passed" : "CUDA self-check: " + f.size() + " FAILED");
        if (args.length > 0 && args[0].equals("--timing")) Timing.run(CudaBackend.open(), System.out);
        System.exit(f.isEmpty() ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------- checks

    /** The GPU forward must give the CPU kernel's bits (not in JCIPA_CUDA_FAST mode for gemm and conv). */
    private void sameBits(String name, float[] gpuOut, float[] cpuOut) {
        int diff = 0;
        for (int i = 0; i < gpuOut.length; i++)
            if (Float.floatToIntBits(gpuOut[i]) != Float.floatToIntBits(cpuOut[i])) diff++;
        String line = String.format(Locale.ROOT, "%-4s %-58s %d of %d elements differ from the CPU kernel's bits", diff == 0 ? "ok" : "FAIL",
                name + " (bits)", diff, gpuOut.length);
        lines.add(line);
        if (diff != 0) failures.add(line);
    }

    private void compare(String name, float[] got, double[] ref, double magnitude, double tol) {
        double err = 0;
        boolean nan = false;
        for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(got[i]) && !Double.isNaN(ref[i])) nan = true;
            err = Math.max(err, Math.abs(got[i] - ref[i]));
        }
        double allowed = tol * magnitude;
        boolean ok = !nan && err <= allowed;
        String line = String.format(Locale.ROOT, "%-4s %-58s err %.3e  allowed %.3e  (%.2e of M)", ok ? "ok" : "FAIL", name, err, allowed,
                magnitude == 0 ? 0 : err / magnitude);
        lines.add(line + (nan ? "  NaN/unwritten" : ""));
        if (!ok) failures.add(line);
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private float[] uniform(int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return a;
    }

    private static double[] d(float[] a) {
        if (a == null) return null;
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i];
        return o;
    }

    private static double[] abs(double[] a) {
        if (a == null) return null;
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = Math.abs(a[i]);
        return o;
    }

    private static float[] poisoned(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    // ---------------------------------------------------------------------------------- GEMM

    private void gemmCases() {
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true}) gemmCase(1, ta, tb, 37, 53, 129, false, false, false);
        gemmCase(3, false, true, 17, 64, 33, true, false, false);     // shared B (stride 0)
        gemmCase(2, true, false, 9, 31, 200, false, true, false);     // accumulate
        gemmCase(3, false, false, 5, 7, 11, false, false, true);      // gaps between C items stay
        gemmCase(1, false, true, 1, 1, 1, false, false, false);
        gemmCase(1, false, true, 4096, 384, 96, false, false, false); // a linear layer of sigma_tiny at 512²
    }

    private void gemmCase(int batch, boolean ta, boolean tb, int m, int n, int k, boolean sharedB, boolean accumulate, boolean gaps) {
        int aStride = m * k, bStride = sharedB ? 0 : k * n, cStride = gaps ? m * n + 3 : m * n;
        float[] a = uniform((batch - 1) * aStride + m * k, -1, 1), b = uniform((batch - 1) * bStride + k * n, -1, 1);
        int cLen = (batch - 1) * cStride + m * n;
        float[] c0 = uniform(cLen, -1, 1);
        float[] c = accumulate || gaps ? c0.clone() : poisoned(cLen);
        gpu.gemmBatched(batch, ta, tb, m, n, k, a, 0, aStride, b, 0, bStride, c, 0, cStride, accumulate);
        if (!CudaBackend.FAST) {
            float[] cpu = accumulate || gaps ? c0.clone() : new float[cLen];
            jcipa.tensor.kernels.Gemm.gemmBatched(batch, ta, tb, m, n, k, a, 0, aStride, b, 0, bStride, cpu, 0, cStride, accumulate);
            sameBits(String.format(Locale.ROOT, "gemm batch=%d tA=%b tB=%b M=%d N=%d K=%d", batch, ta, tb, m, n, k), c, cpu);
        }
        double[] ref = d(c0), mag = abs(d(c0));
        GemmRef.gemmBatched(batch, ta, tb, m, n, k, d(a), 0, aStride, d(b), 0, bStride, ref, 0, cStride, accumulate);
        GemmRef.gemmBatched(batch, ta, tb, m, n, k, abs(d(a)), 0, aStride, abs(d(b)), 0, bStride, mag, 0, cStride, accumulate);
        compare(String.format(Locale.ROOT, "gemm batch=%d tA=%b tB=%b M=%d N=%d K=%d%s%s%s", batch, ta, tb, m, n, k,
                sharedB ? " sharedB" : "", accumulate ? " +=" : "", gaps ? " gaps" : ""), c, ref, maxAbs(mag), (k + 2) * U);
    }

    // ------------------------------------------------------------------------------ selective scan

    private void scanCases() {
        scanCase(2, 4, 40, 200, 16, true, true);
        scanCase(1, 4, 32, 64, 4, false, false);
        scanCase(1, 2, 7, 1, 1, true, false);
        scanCase(1, 4, 96, 1000, 16, true, true);
        scanCase(2, 1, 33, 130, 3, false, true);
    }

    private void scanCase(int batch, int K, int Dg, int L, int N, boolean withD, boolean withBias) {
        SelectiveScan.Dims dims = new SelectiveScan.Dims(batch, K, Dg, L, N);
        int seq = dims.sequenceSize(), proj = dims.projectionSize(), kd = dims.channels();
        float[] u = uniform(seq, -2, 2), delta = uniform(seq, -3, 1), B = uniform(proj, -2, 2), C = uniform(proj, -2, 2);
        float[] A = new float[kd * N];
        for (int i = 0; i < A.length; i++) A[i] = (float) -(0.2 + (N + 0.3) * rng.nextDouble());
        float[] D = withD ? uniform(kd, -1, 1) : null, bias = withBias ? uniform(kd, -1, 1) : null, dy = uniform(seq, -2, 2);
        String name = String.format(Locale.ROOT, "scan batch=%d K=%d Dg=%d L=%d N=%d%s%s", batch, K, Dg, L, N, withD ? " D" : "", withBias ? " bias" : "");

        float[] y = poisoned(seq);
        gpu.selectiveScanForward(u, delta, A, B, C, D, bias, batch, K, Dg, L, N, y);
        float[] yCpu = new float[seq];
        SelectiveScan.forward(u, delta, A, B, C, D, bias, batch, K, Dg, L, N, yCpu);
        sameBits(name + " y", y, yCpu);
        float[] ySingle = poisoned(seq);                 // the one-thread-per-channel kernel too
        CudaBackend.singleLaunchScan = true;
        try {
            gpu.selectiveScanForward(u, delta, A, B, C, D, bias, batch, K, Dg, L, N, ySingle);
        } finally {
            CudaBackend.singleLaunchScan = false;
        }
        sameBits(name + " y (scan_fwd)", ySingle, yCpu);
        double[] yRef = new double[seq], yMag = new double[seq];
        SelectiveScanRef.forward(d(u), d(delta), d(A), d(B), d(C), d(D), d(bias), batch, K, Dg, L, N, yRef);
        SelectiveScanRef.forward(abs(d(u)), d(delta), d(A), abs(d(B)), abs(d(C)), abs(d(D)), d(bias), batch, K, Dg, L, N, yMag);
        compare(name + " y", y, yRef, Math.max(maxAbs(yRef), maxAbs(yMag)), 1e-5);

        float[] du = poisoned(seq), dd = poisoned(seq), dA = poisoned(kd * N), dB = poisoned(proj), dC = poisoned(proj);
        float[] dD = withD ? poisoned(kd) : null, dBias = withBias ? poisoned(kd) : null;
        gpu.selectiveScanBackward(u, delta, A, B, C, D, bias, batch, K, Dg, L, N, dy, du, dd, dA, dB, dC, dD, dBias);
        double[][] ref = scanGradients(d(u), d(delta), d(A), d(B), d(C), d(D), d(bias), dims, d(dy));
        double[][] mag = scanGradients(abs(d(u)), d(delta), d(A), abs(d(B)), abs(d(C)), abs(d(D)), d(bias), dims, abs(d(dy)));
        String[] names = {"du", "dDelta", "dA", "dB", "dC", "dD", "dDeltaBias"};
        float[][] got = {du, dd, dA, dB, dC, dD, dBias};
        for (int i = 0; i < names.length; i++) {
            if (got[i] == null) continue;
            double m = Math.max(maxAbs(ref[i]), maxAbs(mag[i]));
            if (i == 6) {                                  // dΔbias sums dΔ over batch and time
                for (int ch = 0; ch < kd; ch++) {
                    double s = 0;
                    for (int b = 0; b < batch; b++) for (int t = 0; t < L; t++) s += Math.abs(ref[1][(b * kd + ch) * L + t]);
                    m = Math.max(m, s);
                }
            }
            compare(name + " " + names[i], got[i], ref[i], m, 1e-5);
        }
    }

    private static double[][] scanGradients(double[] u, double[] delta, double[] A, double[] B, double[] C, double[] D, double[] bias,
                                            SelectiveScan.Dims s, double[] dy) {
        int seq = s.sequenceSize(), proj = s.projectionSize(), kd = s.channels();
        double[] du = new double[seq], dd = new double[seq], dA = new double[kd * s.states()], dB = new double[proj], dC = new double[proj];
        double[] dD = D == null ? null : new double[kd], dBias = bias == null ? null : new double[kd];
        SelectiveScanRef.backward(u, delta, A, B, C, D, bias, s.batch(), s.groups(), s.channelsPerGroup(), s.length(), s.states(), dy,
                du, dd, dA, dB, dC, dD, dBias);
        return new double[][] {du, dd, dA, dB, dC, dD, dBias};
    }

    // ------------------------------------------------------------------------------- convolution

    private void convCases() {
        convCase(new ConvShape(2, 5, 9, 11, 7, 3, 3, 1, 1, 1, 1, 1), true);     // dense 3×3
        convCase(new ConvShape(1, 3, 16, 16, 8, 4, 4, 4, 4, 0, 0, 1), true);    // patch embedding 4×4 stride 4
        convCase(new ConvShape(2, 6, 10, 10, 6, 3, 3, 1, 1, 1, 1, 6), true);    // depthwise 3×3
        convCase(new ConvShape(2, 8, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1), false);     // pointwise
        convCase(new ConvShape(1, 6, 9, 9, 4, 3, 3, 2, 2, 1, 1, 2), true);      // grouped, stride 2
        convCase(new ConvShape(1, 32, 64, 64, 11, 3, 3, 1, 1, 1, 1, 1), true);  // larger dense
    }

    private void convCase(ConvShape s, boolean withBias) {
        float[] x = uniform(s.inputSize(), -1, 1), w = uniform(s.weightSize(), -1, 1), b = withBias ? uniform(s.cOut(), -1, 1) : null;
        float[] dy = uniform(s.outputSize(), -1, 1);
        String name = "conv " + s;
        float[] y = poisoned(s.outputSize());
        gpu.conv2dForward(s, x, w, b, y);
        if (!CudaBackend.FAST) {
            float[] yCpu = new float[s.outputSize()];
            jcipa.tensor.kernels.Conv2d.forward(s, x, w, b, yCpu);
            sameBits(name + " y", y, yCpu);
        }
        double[] yRef = Conv2dRef.forward(s, d(x), d(w), d(b)), yMag = Conv2dRef.forward(s, abs(d(x)), abs(d(w)), abs(d(b)));
        compare(name + " y", y, yRef, maxAbs(yMag), (s.taps() + 2) * U);

        float[] dx = poisoned(s.inputSize());
        gpu.conv2dBackwardInput(s, dy, w, dx);
        double[] dxRef = Conv2dRef.backwardInput(s, d(dy), d(w)), dxMag = Conv2dRef.backwardInput(s, abs(d(dy)), abs(d(w)));
        compare(name + " dx", dx, dxRef, maxAbs(dxMag), (s.cOutPerGroup() * s.kh() * s.kw() + 2) * U);

        float[] dw = poisoned(s.weightSize());
        gpu.conv2dBackwardWeight(s, x, dy, dw);
        double[] dwRef = Conv2dRef.backwardWeight(s, d(x), d(dy)), dwMag = Conv2dRef.backwardWeight(s, abs(d(x)), abs(d(dy)));
        compare(name + " dw", dw, dwRef, maxAbs(dwMag), ((double) s.n() * s.ho() * s.wo() + 2) * U);
    }
}
