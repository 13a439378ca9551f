package jcipa.tensor.device;

import jcipa.tensor.kernels.Conv2d;
import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.Gemm;
import jcipa.tensor.kernels.SelectiveScan;

/** The CPU kernels themselves: every call goes straight to {@code jcipa.tensor.kernels}. */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public Device device() { return Device.CPU; }

    @Override
    public void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int aStride,
                            float[] b, int bOff, int bStride, float[] c, int cOff, int cStride, boolean accumulate) {
        Gemm.gemmBatched(batch, transA, transB, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride, accumulate);
    }

    @Override
    public void selectiveScanForward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                     int batch, int groups, int channelsPerGroup, int L, int N, float[] outY) {
        SelectiveScan.forward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, outY);
    }

    @Override
    public void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                      int batch, int groups, int channelsPerGroup, int L, int N, float[] dy, float[] du,
                                      float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias) {
        SelectiveScan.backward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, dy, du, dDelta, dA, dB, dC,
                dD, dDeltaBias);
    }

    @Override
    public SelectiveScan.States selectiveScanForwardKeepingStates(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D,
                                                                 float[] deltaBias, int batch, int groups, int channelsPerGroup,
                                                                 int L, int N, float[] outY) {
        return SelectiveScan.forwardKeepingStates(u, delta, A, B, C, D, deltaBias,
                new SelectiveScan.Dims(batch, groups, channelsPerGroup, L, N), outY);
    }

    @Override
    public void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                      int batch, int groups, int channelsPerGroup, int L, int N, float[] dy, float[] du,
                                      float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias,
                                      SelectiveScan.States states) {
        SelectiveScan.backward(u, delta, A, B, C, D, deltaBias, new SelectiveScan.Dims(batch, groups, channelsPerGroup, L, N),
                dy, du, dDelta, dA, dB, dC, dD, dDeltaBias, states);
    }

    @Override public boolean conv2dForward(ConvShape s, float[] x, float[] w, float[] bias, float[] y) { return Conv2d.forward(s, x, w, bias, y); }

    @Override public void conv2dBackwardInput(ConvShape s, float[] dy, float[] w, float[] dx) { Conv2d.backwardInput(s, dy, w, dx); }

    @Override public void conv2dBackwardWeight(ConvShape s, float[] x, float[] dy, float[] dw) { Conv2d.backwardWeight(s, x, dy, dw); }
}
