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
}
