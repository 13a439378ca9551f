package jcipa.tensor.device;

import java.io.PrintStream;
import java.util.Locale;

import jcipa.tensor.kernels.ConvShape;

/**
 * A diagnostic backend: runs every call on the CPU kernels (whose results are kept) and on a second
 * backend, and reports calls where the two differ by more than {@code threshold} relative to the
 * CPU result's largest magnitude. For finding which GPU kernel call drifts in a whole-model run
 * ({@code JCIPA_CUDA_CHECK=1e-5}).
 */
public final class CheckingBackend implements Backend {
    private final Backend other;
    private final double threshold;
    private final PrintStream log;

    public CheckingBackend(Backend other, double threshold, PrintStream log) {
        this.other = other;
        this.threshold = threshold;
        this.log = log;
    }

    @Override public Device device() { return other.device(); }

    private void report(String call, String what, float[] cpu, float[] gpu) {
        if (cpu == null) return;
        double max = 0, err = 0;
        int at = -1;
        for (int i = 0; i < cpu.length; i++) {
            max = Math.max(max, Math.abs(cpu[i]));
            double e = Math.abs((double) cpu[i] - gpu[i]);
            if (e > err || Double.isNaN(e)) { err = e; at = i; }
        }
        double rel = max == 0 ? err : err / max;
        if (!(rel <= threshold))
            log.printf(Locale.ROOT, "cuda-check %s %s: max|gpu-cpu| %.3e = %.3e of max|cpu| %.3e (at %d: cpu %.6e gpu %.6e)%n", call, what, err,
                    rel, max, at, at < 0 ? 0f : cpu[at], at < 0 ? 0f : gpu[at]);
    }

    private static float[] copy(float[] a) { return a == null ? null : a.clone(); }

    @Override
    public void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int aStride,
                            float[] b, int bOff, int bStride, float[] c, int cOff, int cStride, boolean accumulate) {
        float[] c2 = c.clone();
        other.gemmBatched(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c2, cOff, cStride, accumulate);
        CpuBackend.INSTANCE.gemmBatched(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
        report(String.format(Locale.ROOT, "gemm batch=%d tA=%b tB=%b M=%d N=%d K=%d aS=%d bS=%d", batch, transA, transB, m, n, k, aStride, bStride), "C", c, c2);
    }

    @Override
    public void selectiveScanForward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                     int batch, int groups, int channelsPerGroup, int L, int N, float[] outY) {
        float[] y2 = new float[outY.length];
        other.selectiveScanForward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, y2);
        CpuBackend.INSTANCE.selectiveScanForward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, outY);
        report(String.format(Locale.ROOT, "scanFwd batch=%d K=%d Dg=%d L=%d N=%d", batch, groups, channelsPerGroup, L, N), "y", outY, y2);
    }

    @Override
    public void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                      int batch, int groups, int channelsPerGroup, int L, int N, float[] dy, float[] du,
                                      float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias) {
        float[] du2 = copy(du), dd2 = copy(dDelta), dA2 = copy(dA), dB2 = copy(dB), dC2 = copy(dC), dD2 = copy(dD), db2 = copy(dDeltaBias);
        other.selectiveScanBackward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, dy, du2, dd2, dA2, dB2, dC2, dD2, db2);
        CpuBackend.INSTANCE.selectiveScanBackward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, dy, du, dDelta, dA, dB, dC,
                dD, dDeltaBias);
        String call = String.format(Locale.ROOT, "scanBwd batch=%d K=%d Dg=%d L=%d N=%d", batch, groups, channelsPerGroup, L, N);
        report(call, "du", du, du2);
        report(call, "dDelta", dDelta, dd2);
        report(call, "dA", dA, dA2);
        report(call, "dB", dB, dB2);
        report(call, "dC", dC, dC2);
        report(call, "dD", dD, dD2);
        report(call, "dDeltaBias", dDeltaBias, db2);
    }

    @Override
    public boolean conv2dForward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        float[] y2 = new float[y.length];
        other.conv2dForward(s, x, w, bias, y2);
        CpuBackend.INSTANCE.conv2dForward(s, x, w, bias, y);
        report("convFwd " + s, "y", y, y2);
        return false;                                                  // not looked: the op checks y
    }

    @Override
    public void conv2dBackwardInput(ConvShape s, float[] dy, float[] w, float[] dx) {
        float[] dx2 = new float[dx.length];
        other.conv2dBackwardInput(s, dy, w, dx2);
        CpuBackend.INSTANCE.conv2dBackwardInput(s, dy, w, dx);
        report("convBwdInput " + s, "dx", dx, dx2);
    }

    @Override
    public void conv2dBackwardWeight(ConvShape s, float[] x, float[] dy, float[] dw) {
        float[] dw2 = new float[dw.length];
        other.conv2dBackwardWeight(s, x, dy, dw2);
        CpuBackend.INSTANCE.conv2dBackwardWeight(s, x, dy, dw);
        report("convBwdWeight " + s, "dw", dw, dw2);
    }
}
