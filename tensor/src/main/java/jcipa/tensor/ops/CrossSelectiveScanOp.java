package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.kernels.CrossSelectiveScan;

/**
 * SS2D's state-space core on a channels-last map in one op (float32):
 * y (B, H, W, D) = CrossMerge(SelectiveScan(xs = CrossScan(x); [Δraw; B; C] = x_proj_weight·xs,
 * Δ = dt_projs_weight·Δraw, A, D, Δbias)). The same bits as those ops one by one (see
 * {@link CrossSelectiveScan}). When a gradient is recorded, the forward keeps x_proj's output and the
 * scan's segment-start states, and the backward is {@link CrossSelectiveScan#backward} on the
 * channels-last maps: its gradients equal the op-by-op path's up to float32 rounding (the sums run in
 * another fixed order), without the (B, 4, D, L) copies of x, Δ, y and their gradients.
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
        MacCounter.add(MacCounter.Op.MATMUL, (long) b * k * (r + 2 * n) * d * h * w);          // x_proj
        MacCounter.add(MacCounter.Op.MATMUL, (long) b * k * d * r * h * w);                    // Δ = dt_projs_weight·Δraw
        MacCounter.add(MacCounter.Op.SELECTIVE_SCAN, MacCounter.selectiveScan(b, k * d, h * w, n));
        if (!Autograd.willRecord(x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds)) {
            InferenceOnly.require(op, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
            Tensor y = Tensor.unfilled(xs);                                                      // the kernel writes all of it
            Backends.current().crossSelectiveScanForward(x.floats(), xProjWeight.floats(), dtProjsWeight.floats(),
                    floatsOrNull(dtProjsBias), A.floats(), floatsOrNull(Ds), b, h, w, d, r, n, y.storageFloats());
            NanCheck.check(op, y, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
            return InferenceOnly.output(op, y);
        }
        InferenceOnly.requireFloat32(op, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
        float[] xf = x.floats(), xProjW = xProjWeight.floats(), dtW = dtProjsWeight.floats(), a = A.floats();
        float[] bias = floatsOrNull(dtProjsBias), ds = floatsOrNull(Ds);
        Tensor y = Tensor.unfilled(xs);
        CrossSelectiveScan.Kept kept = Backends.current().crossSelectiveScanForwardKeeping(xf, xProjW, dtW, bias, a, ds,
                b, h, w, d, r, n, y.storageFloats());
        NanCheck.check(op, y, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
        return Autograd.record(op, y, g -> {
            Tensor dx = Tensor.unfilled(xs);                                     // the kernel writes all of it
            Tensor dXProjW = gradientFor(xProjWeight), dDtW = gradientFor(dtProjsWeight), dBias = gradientFor(dtProjsBias);
            Tensor dA = Tensor.zeros(DType.F32, A.shape()), dDs = gradientFor(Ds);
            Backends.current().crossSelectiveScanBackward(xf, g.floats(), xProjW, dtW, bias, a, ds, b, h, w, d, r, n, kept,
                    dx.storageFloats(), storageOrNull(dXProjW), storageOrNull(dDtW), storageOrNull(dBias), dA.storageFloats(),
                    storageOrNull(dDs));
            return new Tensor[] {dx, dXProjW, dDtW, dBias, A.requiresGrad() ? dA : null, dDs};
        }, x, xProjWeight, dtProjsWeight, dtProjsBias, A, Ds);
    }

    /** A zero gradient of t's shape if t needs one, else null (the kernel then skips it). */
    private static Tensor gradientFor(Tensor t) {
        return t != null && t.requiresGrad() ? Tensor.zeros(DType.F32, t.shape()) : null;
    }

    private static float[] floatsOrNull(Tensor t) { return t == null ? null : t.floats(); }

    private static float[] storageOrNull(Tensor t) { return t == null ? null : t.storageFloats(); }
}
