package jcipa.nn;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Conv2dOp;

/** nn.Conv2d with a square kernel: state {@code weight} (out, in/groups, k, k) and optional {@code bias} (out). */
public final class Conv2dLayer extends Module {
    public final int in, out, kernel, stride, padding, groups;
    private final Tensor weight, bias;

    public Conv2dLayer(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, DType dt) {
        if (in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException("Conv2d: channels " + in + " -> " + out + " not divisible by groups " + groups);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.weight = parameter("weight", Init.zeros(dt, out, in / groups, kernel, kernel));
        this.bias = bias ? parameter("bias", Init.zeros(dt, out)) : null;
    }

    public Tensor forward(Tensor x) { return Conv2dOp.apply(x, weight, bias, stride, padding, groups); }
}
