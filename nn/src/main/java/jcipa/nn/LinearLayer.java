package jcipa.nn;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Linear;

/** nn.Linear: y = x·Wᵀ + b; state {@code weight} (out, in) and, if present, {@code bias} (out). */
public final class LinearLayer extends Module {
    public final int in, out;
    private final Tensor weight, bias;

    public LinearLayer(int in, int out, boolean bias, DType dt) {
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", Init.zeros(dt, out, in));
        this.bias = bias ? parameter("bias", Init.zeros(dt, out)) : null;
    }

    public Tensor forward(Tensor x) { return Linear.linear(x, weight, bias); }

    /**
     * Outputs [from, to) of {@link #forward} (weight rows from..to−1): the same bits as those columns of the
     * whole product, each output being its own sum over the inputs.
     */
    public Tensor forwardOutputs(Tensor x, int from, int to) {
        return Linear.linear(x, weight.slice(0, from, to), bias == null ? null : bias.slice(0, from, to));
    }
}
