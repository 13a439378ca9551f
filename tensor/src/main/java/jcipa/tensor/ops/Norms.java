package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.kernels.BatchNorm;
import jcipa.tensor.kernels.LayerNorm;
import jcipa.tensor.ref.BatchNormRef;
import jcipa.tensor.ref.LayerNormRef;

/**
 * Normalisations. LayerNorm: each row of the trailing {@code normalizedSize} elements becomes
 * (x − μ)/√(σ² + eps)·w + b with the biased variance. BatchNorm2d: the same per channel over
 * (N, H, W), with batch statistics in training (and the running-stat update, unbiased variance)
 * or the running statistics in evaluation.
 */
public final class Norms {
    private Norms() {}

    /**
     * Inference (float32, no gradient): LayerNorm(x) over the last dimension, times SiLU(gate), in one pass
     * ({@link LayerNorm#forwardGatedSilu}); the same bits as {@code layerNorm(x, ...).mul(gate.silu())}.
     * gate has x's shape and may be a view whose rows are contiguous and evenly spaced (such as a channel
     * half of a wider map); otherwise, or with gradients recorded, the ops run one by one.
     */
    public static Tensor layerNormTimesSilu(Tensor x, Tensor weight, Tensor bias, double eps, Tensor gate) {
        int[] xs = x.shape();
        int rank = xs.length, cols = rank == 0 ? 0 : xs[rank - 1], rowStride = InferenceOnly.rowStride(gate);
        boolean inference = !Autograd.isEnabled() || !(x.requiresGrad() || gate.requiresGrad()
                || (weight != null && weight.requiresGrad()) || (bias != null && bias.requiresGrad()));
        if (rowStride < 0 || !java.util.Arrays.equals(xs, gate.shape()) || !inference || x.dtype() != DType.F32
                || (weight != null && weight.dtype() != DType.F32) || (bias != null && bias.dtype() != DType.F32) || x.numel() == 0)
            return layerNorm(x, new int[] {cols}, weight, bias, eps).mul(gate.silu());
        String op = "layerNorm*silu";
        if (weight != null && (weight.rank() != 1 || weight.size(0) != cols) || bias != null && (bias.rank() != 1 || bias.size(0) != cols))
            throw new IllegalArgumentException(op + ": weight and bias must have " + cols + " elements");
        int rows = x.numel() / cols;
        MacCounter.add(MacCounter.Op.LAYER_NORM, MacCounter.layerNorm(x.numel(), weight != null));
        Tensor y = Tensor.unfilled(xs);                                     // every row is written
        LayerNorm.forwardGatedSilu(x.floats(), f(weight), f(bias), gate.storageFloats(), gate.offset(), rowStride, y.storageFloats(),
                rows, cols, (float) eps);
        NanCheck.check(op, y, x, weight, bias, gate);
        return InferenceOnly.output(op, y);
    }

    /**
     * Inference: LayerNorm of x over its last dimension written over x itself (the same bits as
     * {@link #layerNorm}: each row's statistics are taken before the row is rewritten, element by element), for
     * a fresh intermediate only the caller holds. No gradient may be recorded; x must be a whole contiguous
     * float32 tensor. Returns x.
     */
    public static Tensor layerNormInPlace(Tensor x, Tensor weight, Tensor bias, double eps) {
        String op = "layerNorm (in place)";
        int[] xs = x.shape();
        int cols = xs.length == 0 ? 0 : xs[xs.length - 1];
        if (Autograd.isEnabled()) throw new IllegalStateException(op + ": in-place updates are for inference; run under Autograd.noGrad()");
        if (x.dtype() != DType.F32 || !x.isContiguous() || x.offset() != 0 || x.numel() == 0 || cols == 0
                || x.storageFloats().length != x.numel())
            throw new IllegalArgumentException(op + ": x " + Shape.str(xs) + " must be a non-empty contiguous float32 tensor owning its storage");
        if (weight != null && (weight.rank() != 1 || weight.size(0) != cols || weight.dtype() != DType.F32)
                || bias != null && (bias.rank() != 1 || bias.size(0) != cols || bias.dtype() != DType.F32))
            throw new IllegalArgumentException(op + ": weight and bias must be float32 with " + cols + " elements");
        if (!(eps >= 0)) throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        MacCounter.add(MacCounter.Op.LAYER_NORM, MacCounter.layerNorm(x.numel(), weight != null));
        float[] data = x.storageFloats();
        LayerNorm.forward(data, f(weight), f(bias), data, null, null, x.numel() / cols, cols, (float) eps);
        return NanCheck.check(op, x, weight, bias);
    }

    /**
     * LayerNorm over the last {@code normalizedShape.length} dimensions, which must equal
     * {@code normalizedShape}; weight and bias have that shape (or are null).
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String op = "layerNorm";
        int[] xs = x.shape();
        int r = normalizedShape.length, xr = xs.length;
        boolean fits = r >= 1 && r <= xr;
        for (int i = 0; fits && i < r; i++) fits = xs[xr - r + i] == normalizedShape[i];
        if (!fits) throw new IllegalArgumentException(op + ": input " + Shape.str(xs) + " does not end with the normalized shape " + Shape.str(normalizedShape));
        int cols = Shape.numel(normalizedShape);
        if (weight != null && !java.util.Arrays.equals(weight.shape(), normalizedShape))
            throw new IllegalArgumentException(op + ": weight " + Shape.str(weight.shape()) + " is not of the normalized shape " + Shape.str(normalizedShape));
        if (bias != null && !java.util.Arrays.equals(bias.shape(), normalizedShape))
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape()) + " is not of the normalized shape " + Shape.str(normalizedShape));
        if (!(eps >= 0)) throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        DType dt = x.dtype();
        for (Tensor t : new Tensor[] {weight, bias})
            if (t != null && t.dtype() != dt) throw new IllegalArgumentException(op + ": dtypes differ (" + dt + ", " + t.dtype() + ")");
        int rows = x.numel() / Math.max(cols, 1);
        MacCounter.add(MacCounter.Op.LAYER_NORM, MacCounter.layerNorm(x.numel(), weight != null));
        Tensor y = Tensor.unfilled(dt, xs);                                 // every row is written
        Tensor mean = Tensor.zeros(dt, rows), rstd = Tensor.zeros(dt, rows);
        if (dt == DType.F32)
            LayerNorm.forward(x.floats(), f(weight), f(bias), y.storageFloats(), mean.storageFloats(), rstd.storageFloats(), rows, cols, (float) eps);
        else
            LayerNormRef.forward(x.doubles(), d(weight), d(bias), y.storageDoubles(), mean.storageDoubles(), rstd.storageDoubles(), rows, cols, eps);
        NanCheck.check(op, y, x, weight, bias);
        return Autograd.record(op, y, g -> {
            // the kernel overwrites every element of each output
            Tensor dx = x.requiresGrad() ? Tensor.unfilled(dt, xs) : null;
            Tensor dw = weight != null && weight.requiresGrad() ? Tensor.unfilled(dt, normalizedShape) : null;
            Tensor db = bias != null && bias.requiresGrad() ? Tensor.unfilled(dt, normalizedShape) : null;
            if (dt == DType.F32)
                LayerNorm.backward(x.floats(), f(weight), mean.storageFloats(), rstd.storageFloats(), g.floats(),
                        sf(dx), sf(dw), sf(db), rows, cols);
            else
                LayerNormRef.backward(x.doubles(), d(weight), mean.storageDoubles(), rstd.storageDoubles(), g.doubles(),
                        sd(dx), sd(dw), sd(db), rows, cols);
            return new Tensor[] {dx, dw, db};
        }, x, weight, bias);
    }

    /**
     * BatchNorm2d on x (N, C, H, W). In training, normalises with the batch statistics and updates
     * {@code runningMean}/{@code runningVar} in place (if given): running = (1 − m)·running + m·stat,
     * with the unbiased variance. In evaluation, normalises with the running statistics.
     */
    public static Tensor batchNorm2d(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                     boolean training, double momentum, double eps) {
        String op = "batchNorm2d";
        int[] xs = x.shape();
        if (xs.length != 4) throw new IllegalArgumentException(op + ": expected (N, C, H, W), got " + Shape.str(xs));
        int n = xs[0], c = xs[1], hw = xs[2] * xs[3];
        DType dt = x.dtype();
        for (Tensor t : new Tensor[] {weight, bias, runningMean, runningVar}) {
            if (t == null) continue;
            if (t.rank() != 1 || t.size(0) != c)
                throw new IllegalArgumentException(op + ": per-channel tensor " + Shape.str(t.shape()) + " does not match " + c + " channels of " + Shape.str(xs));
            if (t.dtype() != dt) throw new IllegalArgumentException(op + ": dtypes differ (" + dt + ", " + t.dtype() + ")");
        }
        if (!training && (runningMean == null || runningVar == null))
            throw new IllegalArgumentException(op + ": evaluation mode needs the running statistics");
        if (training && (long) n * hw < 2)
            throw new IllegalArgumentException(op + ": training needs more than 1 value per channel, got input " + Shape.str(xs));
        for (Tensor t : new Tensor[] {runningMean, runningVar})
            if (t != null && (!t.isContiguous() || t.offset() != 0))
                throw new IllegalArgumentException(op + ": running statistics must be contiguous tensors (they are updated in place)");
        MacCounter.add(MacCounter.Op.BATCH_NORM, MacCounter.batchNorm(x.numel(), weight != null, training));
        Tensor y = Tensor.zeros(dt, xs);
        Tensor mean = Tensor.zeros(dt, c), rstd = Tensor.zeros(dt, c);
        if (training) {
            if (dt == DType.F32)
                BatchNorm.forwardTrain(x.floats(), f(weight), f(bias), y.storageFloats(), mean.storageFloats(), rstd.storageFloats(),
                        sf(runningMean), sf(runningVar), n, c, hw, (float) eps, (float) momentum);
            else
                BatchNormRef.forwardTrain(x.doubles(), d(weight), d(bias), y.storageDoubles(), mean.storageDoubles(), rstd.storageDoubles(),
                        sd(runningMean), sd(runningVar), n, c, hw, eps, momentum);
        } else {
            if (dt == DType.F32)
                BatchNorm.forwardEval(x.floats(), f(weight), f(bias), runningMean.floats(), runningVar.floats(), y.storageFloats(), n, c, hw, (float) eps);
            else
                BatchNormRef.forwardEval(x.doubles(), d(weight), d(bias), runningMean.doubles(), runningVar.doubles(), y.storageDoubles(), n, c, hw, eps);
        }
        NanCheck.check(op, y, x, weight, bias);
        // the eval backward needs the running statistics as they were in this forward
        Tensor rm = training ? null : Views.copyContiguous(runningMean), rv = training ? null : Views.copyContiguous(runningVar);
        return Autograd.record(op, y, g -> {
            Tensor dx = x.requiresGrad() ? Tensor.zeros(dt, xs) : null;
            Tensor dw = weight != null && weight.requiresGrad() ? Tensor.zeros(dt, c) : null;
            Tensor db = bias != null && bias.requiresGrad() ? Tensor.zeros(dt, c) : null;
            if (training) {
                if (dt == DType.F32)
                    BatchNorm.backwardTrain(x.floats(), f(weight), mean.storageFloats(), rstd.storageFloats(), g.floats(), sf(dx), sf(dw), sf(db), n, c, hw);
                else
                    BatchNormRef.backwardTrain(x.doubles(), d(weight), mean.storageDoubles(), rstd.storageDoubles(), g.doubles(), sd(dx), sd(dw), sd(db), n, c, hw);
            } else {
                if (dt == DType.F32)
                    BatchNorm.backwardEval(x.floats(), f(weight), rm.storageFloats(), rv.storageFloats(), (float) eps, g.floats(), sf(dx), sf(dw), sf(db), n, c, hw);
                else
                    BatchNormRef.backwardEval(x.doubles(), d(weight), rm.storageDoubles(), rv.storageDoubles(), eps, g.doubles(), sd(dx), sd(dw), sd(db), n, c, hw);
            }
            return new Tensor[] {dx, dw, db};
        }, x, weight, bias);
    }

    private static float[] f(Tensor t) { return t == null ? null : t.floats(); }
    private static double[] d(Tensor t) { return t == null ? null : t.doubles(); }
    private static float[] sf(Tensor t) { return t == null ? null : t.storageFloats(); }
    private static double[] sd(Tensor t) { return t == null ? null : t.storageDoubles(); }
}
