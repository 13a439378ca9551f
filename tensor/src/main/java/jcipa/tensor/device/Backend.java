package jcipa.tensor.device;

import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.CrossSelectiveScan;
import jcipa.tensor.kernels.SelectiveScan;

/**
 * The kernels an op may run on another device: the same signatures as the float32 kernels in
 * {@code jcipa.tensor.kernels} (arrays + explicit dims in, caller-allocated arrays out, contiguous
 * row-major). The ops call {@link Backends#current()} instead of the kernel classes for these; the
 * CPU backend is those kernels, unchanged. A backend knows nothing of tensors or autograd.
 */
public interface Backend {
    /** Which device this backend computes on. */
    Device device();

    /** {@link jcipa.tensor.kernels.Gemm#gemmBatched}: C_t (=, or += when accumulate) op(A_t)·op(B_t). */
    void gemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                     float[] c, int cOff, int cStride, boolean accumulate);

    /** {@link jcipa.tensor.kernels.SelectiveScan#forward}: y (batch, K·Dg, L). */
    void selectiveScanForward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                              int batch, int groups, int channelsPerGroup, int L, int N, float[] outY);

    /** {@link jcipa.tensor.kernels.SelectiveScan#backward}: every gradient, overwritten. */
    void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                               int batch, int groups, int channelsPerGroup, int L, int N, float[] dy,
                               float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias);

    /**
     * {@link SelectiveScan#forwardKeepingStates}: the forward, also keeping the states a backward can start from (a
     * backend that keeps none returns null, and its backward recomputes them).
     */
    default SelectiveScan.States selectiveScanForwardKeepingStates(float[] u, float[] delta, float[] A, float[] B, float[] C,
                                                                  float[] D, float[] deltaBias, int batch, int groups,
                                                                  int channelsPerGroup, int L, int N, float[] outY) {
        selectiveScanForward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, outY);
        return null;
    }

    /** The backward from states {@link #selectiveScanForwardKeepingStates} kept (null: none; same results either way). */
    default void selectiveScanBackward(float[] u, float[] delta, float[] A, float[] B, float[] C, float[] D, float[] deltaBias,
                                       int batch, int groups, int channelsPerGroup, int L, int N, float[] dy,
                                       float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dDeltaBias,
                                       SelectiveScan.States states) {
        selectiveScanBackward(u, delta, A, B, C, D, deltaBias, batch, groups, channelsPerGroup, L, N, dy, du, dDelta, dA, dB, dC, dD,
                dDeltaBias);
    }

    /**
     * {@link CrossSelectiveScan#forward}: SS2D's x_proj and scan core on a channels-last map, y (B, H, W, D). The CPU
     * kernel unless a backend has its own (inference on another device takes the op-by-op path instead).
     */
    default void crossSelectiveScanForward(float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                                           int batch, int height, int width, int channels, int dtRank, int states, float[] outY) {
        CrossSelectiveScan.forward(x, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, outY);
    }

    /** {@link CrossSelectiveScan#forwardKeeping}: {@link #crossSelectiveScanForward}, also keeping what the backward needs. */
    default CrossSelectiveScan.Kept crossSelectiveScanForwardKeeping(float[] x, float[] xProjW, float[] dtW, float[] dtBias, float[] A,
                                                                    float[] Ds, int batch, int height, int width, int channels,
                                                                    int dtRank, int states, float[] outY) {
        return CrossSelectiveScan.forwardKeeping(x, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, outY);
    }

    /** {@link CrossSelectiveScan#backward}: the gradients of the channels-last SS2D core (a null output is not wanted). */
    default void crossSelectiveScanBackward(float[] x, float[] dy, float[] xProjW, float[] dtW, float[] dtBias, float[] A, float[] Ds,
                                            int batch, int height, int width, int channels, int dtRank, int states,
                                            CrossSelectiveScan.Kept kept, float[] dx, float[] dXProjW, float[] dDtW, float[] dDtBias,
                                            float[] dA, float[] dDs) {
        CrossSelectiveScan.backward(x, dy, xProjW, dtW, dtBias, A, Ds, batch, height, width, channels, dtRank, states, kept,
                dx, dXProjW, dDtW, dDtBias, dA, dDs);
    }

    /**
     * {@link jcipa.tensor.kernels.Conv2d#forward}: y (n, cOut, ho, wo). Returns true only if the backend saw that y
     * holds no NaN as it wrote it (the op then skips its own pass over y); false when it did not look or found one.
     */
    boolean conv2dForward(ConvShape s, float[] x, float[] w, float[] bias, float[] y);

    /** {@link jcipa.tensor.kernels.Conv2d#backwardInput}: dx (n, cIn, h, w), overwritten. */
    void conv2dBackwardInput(ConvShape s, float[] dy, float[] w, float[] dx);

    /** {@link jcipa.tensor.kernels.Conv2d#backwardWeight}: dw (cOut, cIn/groups, kh, kw), overwritten. */
    void conv2dBackwardWeight(ConvShape s, float[] x, float[] dy, float[] dw);
}
