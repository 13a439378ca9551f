package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.device.Backends;
import jcipa.tensor.kernels.Conv2d;
import jcipa.tensor.kernels.ConvShape;
import jcipa.tensor.kernels.DepthwiseConv3x3;
import jcipa.tensor.kernels.Unary;
import jcipa.tensor.ref.Conv2dRef;

/**
 * 2-D convolution (cross-correlation, as PyTorch), zero padding, dilation 1, any groups:
 * y[n, co, i, j] = b[co] + Σ_{ci ∈ group(co), ky, kx} w[co, ci, ky, kx] · x[n, ci, i·sh + ky − ph, j·sw + kx − pw].
 * Backward: dx is the transposed convolution of dy with w; dw correlates x with dy; db sums dy.
 */
public final class Conv2dOp {
    private Conv2dOp() {}

    /** x (N, Cin, H, W), w (Cout, Cin/groups, kh, kw), bias (Cout) or null. */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int strideH, int strideW, int padH, int padW, int groups) {
        String op = "conv2d";
        int[] xs = x.shape(), ws = w.shape();
        if (xs.length != 4 || ws.length != 4)
            throw new IllegalArgumentException(op + ": expected input (N, Cin, H, W) and weight (Cout, Cin/groups, kh, kw), got " + Shape.str(xs) + " and " + Shape.str(ws));
        if (groups < 1 || xs[1] % groups != 0 || ws[0] % groups != 0 || ws[1] * groups != xs[1])
            throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " and weight " + Shape.str(ws) + " do not fit groups=" + groups
                    + " (need Cin = groups·weight[1] and Cout divisible by groups)");
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException(op + ": stride must be >= 1 and padding >= 0, got stride (" + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + ")");
        if (xs[2] + 2 * padH < ws[2] || xs[3] + 2 * padW < ws[3])
            throw new IllegalArgumentException(op + ": kernel " + ws[2] + "x" + ws[3] + " larger than padded input " + Shape.str(xs));
        if (bias != null && (bias.rank() != 1 || bias.size(0) != ws[0]))
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape()) + " does not match " + ws[0] + " output channels");
        DType dt = x.dtype();
        if (w.dtype() != dt || (bias != null && bias.dtype() != dt))
            throw new IllegalArgumentException(op + ": dtypes differ (input " + dt + ", weight " + w.dtype() + (bias != null ? ", bias " + bias.dtype() : "") + ")");
        ConvShape s = new ConvShape(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], strideH, strideW, padH, padW, groups);
        int[] ys = {s.n(), s.cOut(), s.ho(), s.wo()};
        MacCounter.add(MacCounter.Op.CONV, MacCounter.conv(s.n(), s.cOut(), s.ho(), s.wo(), ws[1], ws[2], ws[3]));
        Tensor y;
        boolean noNaN = false;                                              // seen by the backend as it wrote y
        if (dt == DType.F32) {
            y = Tensor.unfilled(ys);                                        // every backend writes every output
            noNaN = Backends.current().conv2dForward(s, x.floats(), w.floats(), bias == null ? null : bias.floats(), y.storageFloats());
        } else {
            y = Tensor.of(Conv2dRef.forward(s, x.doubles(), w.doubles(), bias == null ? null : bias.doubles()), ys);
        }
        if (!noNaN) NanCheck.check(op, y, x, w, bias);
        return Autograd.record(op, y, g -> {
            Tensor dx = null, dw = null, db = null;
            if (dt == DType.F32) {
                float[] gy = g.floats();
                if (x.requiresGrad()) { dx = Tensor.zeros(dt, xs); Backends.current().conv2dBackwardInput(s, gy, w.floats(), dx.storageFloats()); }
                if (w.requiresGrad()) { dw = Tensor.zeros(dt, ws); Backends.current().conv2dBackwardWeight(s, x.floats(), gy, dw.storageFloats()); }
                if (bias != null && bias.requiresGrad()) { db = Tensor.zeros(dt, ws[0]); Conv2d.backwardBias(s, gy, db.storageFloats()); }
            } else {
                double[] gy = g.doubles();
                if (x.requiresGrad()) dx = Tensor.of(Conv2dRef.backwardInput(s, gy, w.doubles()), xs);
                if (w.requiresGrad()) dw = Tensor.of(Conv2dRef.backwardWeight(s, x.doubles(), gy), ws);
                if (bias != null && bias.requiresGrad()) db = Tensor.of(Conv2dRef.backwardBias(s, gy), ws[0]);
            }
            return new Tensor[] {dx, dw, db};
        }, x, w, bias);
    }

    /**
     * Depthwise 3×3, stride 1, padding 1, on a channels-last map (float32; with a gradient recorded, its backward is
     * the channels-last transposed conv and weight sums of {@link DepthwiseConv3x3}, the same values as the
     * channels-first path's up to float32 rounding):
     * x (N, H, W, C), any view whose pixels are evenly spaced with contiguous channels (such as a channel
     * slice of a wider map), weight (C, 1, 3, 3), bias (C) or null → y (N, H, W, C), and with {@code silu}
     * SiLU(y) in the same pass. The same bits as {@link #apply} on x permuted to (N, C, H, W), permuted
     * back (then {@code silu()}), without the copies.
     */
    public static Tensor depthwise3x3ChannelsLast(Tensor x, Tensor w, Tensor bias, boolean silu) {
        String op = silu ? "conv2d+silu" : "conv2d";
        int[] xs = x.shape(), ws = w.shape();
        if (xs.length != 4 || ws.length != 4 || ws[0] != xs[3] || ws[1] != 1 || ws[2] != 3 || ws[3] != 3)
            throw new IllegalArgumentException(op + ": expected channels-last input (N, H, W, C) and depthwise weight (C, 1, 3, 3), got "
                    + Shape.str(xs) + " and " + Shape.str(ws));
        if (bias != null && (bias.rank() != 1 || bias.size(0) != ws[0]))
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape()) + " does not match " + ws[0] + " channels");
        boolean recorded = Autograd.willRecord(x, w, bias);
        if (recorded) InferenceOnly.requireFloat32(op, x, w, bias);
        else InferenceOnly.require(op, x, w, bias);
        int rowStride = InferenceOnly.rowStride(x);                         // pixels of a channel slice are read in place
        Tensor src = rowStride >= 0 ? x : x.contiguous();
        int pixelStride = rowStride >= 0 ? rowStride : xs[3];
        MacCounter.add(MacCounter.Op.CONV, MacCounter.conv(xs[0], xs[3], xs[1], xs[2], 1, 3, 3));
        Tensor y = Tensor.unfilled(xs);                                     // the kernel writes all of it
        float[] weights = w.floats(), biases = bias == null ? null : bias.floats();
        boolean noNaN = DepthwiseConv3x3.forwardChannelsLast(xs[0], xs[1], xs[2], xs[3], src.storageFloats(), src.offset(), pixelStride,
                weights, biases, silu, y.storageFloats());                 // (seen by the kernel as it wrote y)
        if (!noNaN) NanCheck.check(op, y, x, w, bias);
        if (!recorded) return InferenceOnly.output(op, y);
        return Autograd.record(op, y, g -> {
            Tensor dPre = g;                                                // d/d(conv + bias)
            if (silu) {                                                     // as SiLU's own backward: g·SiLU′(pre), pre recomputed
                Tensor pre = Tensor.unfilled(xs);
                DepthwiseConv3x3.forwardChannelsLast(xs[0], xs[1], xs[2], xs[3], src.storageFloats(), src.offset(), pixelStride,
                        weights, biases, false, pre.storageFloats());
                dPre = Pointwise.timesMap(g, Unary.SILU_GRAD, pre);
            }
            float[] d = dPre.floats();
            Tensor dx = null, dw = null, db = null;
            if (x.requiresGrad()) {
                dx = Tensor.unfilled(xs);
                DepthwiseConv3x3.backwardInputChannelsLast(xs[0], xs[1], xs[2], xs[3], d, weights, dx.storageFloats());
            }
            if (w.requiresGrad() || bias != null && bias.requiresGrad()) {
                dw = Tensor.zeros(DType.F32, ws);
                db = bias == null ? null : Tensor.zeros(DType.F32, bias.shape());
                DepthwiseConv3x3.backwardWeightChannelsLast(xs[0], xs[1], xs[2], xs[3], src.storageFloats(), src.offset(), pixelStride,
                        d, dw.storageFloats(), db == null ? null : db.storageFloats());
            }
            return new Tensor[] {dx, w.requiresGrad() ? dw : null, bias != null && bias.requiresGrad() ? db : null};
        }, x, w, bias);
    }

    /** Square kernel convenience: same stride and padding on both axes. */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int stride, int pad, int groups) {
        return apply(x, w, bias, stride, stride, pad, pad, groups);
    }
}
