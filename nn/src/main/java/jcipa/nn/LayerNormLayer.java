package jcipa.nn;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Norms;

/** nn.LayerNorm over the trailing dimensions {@code shape}: state {@code weight}, {@code bias}. */
public final class LayerNormLayer extends Module {
    private final int[] shape;
    private final double eps;
    private final Tensor weight, bias;

    public LayerNormLayer(double eps, DType dt, int... shape) {
        this.shape = shape.clone();
        this.eps = eps;
        this.weight = parameter("weight", Init.full(dt, 1.0, shape));
        this.bias = parameter("bias", Init.zeros(dt, shape));
    }

    public Tensor forward(Tensor x) { return Norms.layerNorm(x, shape, weight, bias, eps); }

    /**
     * {@link #forward} written over x, a fresh intermediate only the caller holds, at inference (the same bits;
     * {@link Norms#layerNormInPlace}); normalized shapes of more than one dimension and float64 take {@link #forward}.
     */
    public Tensor forwardInPlace(Tensor x) {
        return shape.length == 1 && x.dtype() == DType.F32 ? Norms.layerNormInPlace(x, weight, bias, eps) : forward(x);
    }

    /** forward(x)·SiLU(gate), in one pass at inference when the normalized shape is the last dimension (same bits). */
    public Tensor forwardTimesSilu(Tensor x, Tensor gate) {
        return shape.length == 1 ? Norms.layerNormTimesSilu(x, weight, bias, eps, gate) : forward(x).mul(gate.silu());
    }
}
