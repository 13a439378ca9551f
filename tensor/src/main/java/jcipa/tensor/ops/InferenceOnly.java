package jcipa.tensor.ops;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * What the fused ops share (the channels-last SS2D core, depthwise conv, bilinear resize): float32 kernels;
 * on their inference path (the bilinear resize has no other) they take tensors that need no gradient now
 * and record their outputs without a backward (the SS2D core and the depthwise conv have a backward of
 * their own when a gradient is recorded); and they read views in place when the rows are evenly spaced.
 */
final class InferenceOnly {
    private InferenceOnly() {}

    /** Fails, naming {@code op}, unless every given tensor (nulls skipped) is float32 and none needs a gradient now. */
    static void require(String op, Tensor... tensors) {
        requireFloat32(op, tensors);
        for (Tensor t : tensors) {
            if (t != null && Autograd.isEnabled() && t.requiresGrad())
                throw new IllegalStateException(op + ": the fused inference path has no backward; run it under Autograd.noGrad()");
        }
    }

    /** Fails, naming {@code op}, unless every given tensor (nulls skipped) is float32: the fused paths have float32 kernels only. */
    static void requireFloat32(String op, Tensor... tensors) {
        for (Tensor t : tensors)
            if (t != null && t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": the fused path is float32 only, got " + t.dtype());
    }

    /** y as {@code op}'s output, recorded without a backward (asking for one is an error). */
    static Tensor output(String op, Tensor y) {
        return Autograd.record(op, y, g -> { throw new IllegalStateException(op + ": the fused inference path has no backward"); });
    }

    /**
     * The distance in floats between consecutive rows (runs of the last dimension) of a float32 view whose
     * rows are contiguous and evenly spaced, such as a channel slice of a wider channels-last map; −1 for
     * any other layout.
     */
    static int rowStride(Tensor t) {
        int[] shape = t.shape(), st = t.strides();
        int r = shape.length;
        if (r == 0 || st[r - 1] != 1 || t.storageFloats() == null) return -1;
        for (int k = r - 3; k >= 0; k--) if (st[k] != shape[k + 1] * st[k + 1]) return -1;
        return r >= 2 ? st[r - 2] : shape[0];
    }
}
