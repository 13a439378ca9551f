package jcipa.tensor.device;

import java.util.Map;
import java.util.TreeMap;

import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.CrossSelectiveScan;
import jcipa.tensor.kernels.SelectiveScan;

/**
 * Wraps a backend and adds up the wall time of its calls by kind (gemm, conv forward, scan forward,
 * ...), so a benchmark can say how much of a forward pass the offloaded kernels take (copies
 * included) and how much the ops that stay on the CPU.
 */
public final class TimingBackend implements Backend {
    private final Backend inner;
    private final Map<String, long[]> totals = new TreeMap<>();   // kind -> {nanos, calls}
    private final Map<String, long[]> byShape = new TreeMap<>();  // kind and shape -> {nanos, calls}

    public TimingBackend(Backend inner) { this.inner = inner; }

    /** Kind -> {total nanoseconds, calls} since the last reset. */
    public synchronized Map<String, long[]> totals() {
        Map<String, long[]> copy = new TreeMap<>();
        totals.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** "kind shape" -> {total nanoseconds, calls} since the last reset, one entry per distinct call shape. */
    public synchronized Map<String, long[]> totalsByShape() {
        Map<String, long[]> copy = new TreeMap<>();
        byShape.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    public synchronized void reset() {
        totals.clear();
        byShape.clear();
    }

    private synchronized void add(String kind, String shape, long t0) {
        long dt = System.nanoTime() - t0;
        long[] v = totals.computeIfAbsent(kind, k -> new long[2]);
        v[0] += dt;
        v[1]++;
        long[] s = byShape.computeIfAbsent(kind + " " + shape, k -> new long[2]);
        s[0] += dt;
        s[1]++;
    }

    private static String gemmShape(int batch, boolean transA, boolean transB, int m, int n, int k) {
        return batch + "x(" + m + "x" + k + (transA ? "^T" : "") + " · " + k + "x" + n + (transB ? "^T" : "") + ")";
    }

    private static String scanShape(int batch, int groups, int channelsPerGroup, int L, int N) {
        return "batch=" + batch + " K=" + groups + " Dg=" + channelsPerGroup + " L=" + L + " N=" + N;
    }

    @Override public Device device() { return inner.device(); }

    @Override
    public void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int aStride,
                            float[] b, int bOff, int bStride, float[] c, int cOff, int cStride, boolean accumulate) {
        long t0 = System.nanoTime();
        inner.gemmBatched(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
        add("gemm", gemmShape(batch, transA, transB, m, n, k), t0);
    }

    @Override
    public void selectiveScanForward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                     int batch, int groups, int channelsPerGroup, int L, int N, float[] outY) {
        long t0 = System.nanoTime();
        inner.selectiveScanForward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, outY);
        add("scan forward", scanShape(batch, groups, channelsPerGroup, L, N), t0);
    }

    @Override
    public void crossSelectiveScanForward(float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                                          int batch, int height, int width, int channels, int dtRank, int states, float[] outY) {
        long t0 = System.nanoTime();
        inner.crossSelectiveScanForward(x, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, outY);
        add("scan forward", "channels-last " + scanShape(batch, 4, channels, height * width, states) + " R=" + dtRank, t0);
    }

    @Override
    public CrossSelectiveScan.Kept crossSelectiveScanForwardKeeping(float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A,
                                                                   float[] Ds, int batch, int height, int width, int channels,
                                                                   int dtRank, int states, float[] outY) {
        long t0 = System.nanoTime();
        CrossSelectiveScan.Kept kept = inner.crossSelectiveScanForwardKeeping(x, xProjW, dtW, dtBias, A, Ds, batch, height, width,
                channels, dtRank, states, outY);
        add("scan forward", "channels-last keeping " + scanShape(batch, 4, channels, height * width, states) + " R=" + dtRank, t0);
        return kept;
    }

    @Override
    public void crossSelectiveScanBackward(float[] x, float[] dy, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                                           int batch, int height, int width, int channels, int dtRank, int states,
                                           CrossSelectiveScan.Kept kept, float[] dx, float[] dXProjW, float[] dDtW, float[] dDtBias,
                                           float[] dA, float[] dDs) {
        long t0 = System.nanoTime();
        inner.crossSelectiveScanBackward(x, dy, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, kept,
                dx, dXProjW, dDtW, dDtBias, dA, dDs);
        add("scan backward", "channels-last " + scanShape(batch, 4, channels, height * width, states) + " R=" + dtRank, t0);
    }

    @Override
    public void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                      int batch, int groups, int channelsPerGroup, int L, int N, float[] dy, float[] du,
                                      float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias) {
        long t0 = System.nanoTime();
        inner.selectiveScanBackward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, dy, du, dDelta, dA, dB, dC,
                dD, dDeltaBias);
        add("scan backward", scanShape(batch, groups, channelsPerGroup, L, N), t0);
    }

    @Override
    public SelectiveScan.States selectiveScanForwardKeepingStates(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                                                                 float[] deltaBias, int batch, int groups, int channelsPerGroup,
                                                                 int L, int N, float[] outY) {
        long t0 = System.nanoTime();
        SelectiveScan.States kept = inner.selectiveScanForwardKeepingStates(u, delta, A, B, C, D, deltaBias, batch, groups,
                channelsPerGroup, L, N, outY);
        add("scan forward", scanShape(batch, groups, channelsPerGroup, L, N), t0);
        return kept;
    }

    @Override
    public void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                      int batch, int groups, int channelsPerGroup, int L, int N, float[] dy, float[] du,
                                      float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias,
                                      SelectiveScan.States states) {
        long t0 = System.nanoTime();
        inner.selectiveScanBackward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, dy, du, dDelta, dA, dB, dC,
                dD, dDeltaBias, states);
        add("scan backward", scanShape(batch, groups, channelsPerGroup, L, N), t0);
    }

    @Override
    public boolean conv2dForward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) {
        long t0 = System.nanoTime();
        inner.conv2dForward(s, x, w, bias, y);
        add("conv forward", s.toString(), t0);
        return false;                                                  // not looked: the op checks y
    }

    @Override
    public void conv2dBackwardInput(ConvShape s, float[] dy, float[] w, float[] dx) {
        long t0 = System.nanoTime();
        inner.conv2dBackwardInput(s, dy, w, dx);
        add("conv backward input", s.toString(), t0);
    }

    @Override
    public void conv2dBackwardWeight(ConvShape s, float[] x, float[] dy, float[] dw) {
        long t0 = System.nanoTime();
        inner.conv2dBackwardWeight(s, x, dy, dw);
        add("conv backward weight", s.toString(), t0);
    }
}
