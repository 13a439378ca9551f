package jcipa.tensor.ops;

import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.kernels.CrossSelectiveScan;

/**
 * SS2D's state-space core on a channels-last map in one op, for inference (float32, no gradient):
 * y (B, H, W, D) = CrossMerge(SelectiveScan(xs = CrossScan(x); [Δraw; B; C] = x_proj_weight·xs,
 * Δ = dt_projs_weight·Δraw, A, D, Δbias)). The same bits as those ops one by one (see
 * {@link CrossSelectiveScan}); training takes the op-by-op path, which has the gradients.
 *
 * <p>Shapes: x (B, H, W, D); xProjWeight (4, R+2N, D); dtProjsWeight (4, D, R); dtProjsBias (4, D) or
 * null; A (4·D, N); Ds (4·D) or null.
 */
public final class CrossSelectiveScanOp {
    private CrossSelectiveScanOp() {}

    public static Tensor apply(Tensor x, Tensor xProjWeight, Tensor dtProjsWeight, Tensor dtProjsBias, Tensor A, Tensor Ds) {
        String op = "crossSelectiveScan";
        int[] xs = x.shape(), ws = dtProjsWeight.shape(), as = A.shape();
        if (xs.length != 4 || ws.length != 3 || ws[0] != CrossSelectiveScan.DIRECTIONS || ws[1] != xs[3] || as.length != 2)
            throw new IllegalArgumentException(op + ": expected x (B, H, W, D), dt_projs_weight (4, D, R), A (4·D, N); got x " + Shape.str(xs)
                    + ", dt_projs_weight " + Shape.str(ws) + ", A " + Shape.str(as));
        int b = xs[0], h = xs[1], w = xs[2], d = xs[3], r = ws[2], n = as[1], k = CrossSelectiveScan.DIRECTIONS;
        SelectiveScanOp.requireShape(op, "A", A, k * d, n);
        SelectiveScanOp.requireShape(op, "x_proj_weight", xProjWeight, k, r + 2 * n, d);
        if (dtProjsBias != null && dtProjsBias.numel() != k * d)
            throw new IllegalArgumentException(op + ": dt_projs_bias " + Shape.str(dtProjsBias.shape()) + " needs " + k * d + " elements");
        if (Ds != null && Ds.numel() != k * d)
            throw new IllegalArgumentException(op + ": Ds " + Shape.str(Ds.shape()) + " needs " + k * d + " elements");
        InferenceOnly.require(op, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
        MacCounter.add(MacCounter.Op.MATMUL, (long) b * k * (r + 2 * n) * d * h * w);          // x_proj
        MacCounter.add(MacCounter.Op.MATMUL, (long) b * k * d * r * h * w);                    // Δ = dt_projs_weight·Δraw
        MacCounter.add(MacCounter.Op.SELECTIVE_SCAN, MacCounter.selectiveScan(b, k * d, h * w, n));
        Tensor y = Tensor.unfilled(xs);                                                          // the kernel writes all of it
        Backends.current().crossSelectiveScanForward(x.floats(), xProjWeight.floats(), dtProjsWeight.floats(),
                dtProjsBias == null ? null : dtProjsBias.floats(), A.floats(), Ds == null ? null : Ds.floats(),
                b, h, w, d, r, n, y.storageFloats());
        NanCheck.check(op, y, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
        return InferenceOnly.output(op, y);
    }
}
