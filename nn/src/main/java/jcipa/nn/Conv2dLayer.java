package jcipa.nn;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Conv2dOp;
import jcipa.tensor.ops.Linear;

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

    /** Whether this is a depthwise 3×3 convolution with stride 1 and padding 1, which {@link #forwardChannelsLast} runs. */
    public boolean isDepthwise3x3() {
        return groups == in && in == out && kernel == 3 && stride == 1 && padding == 1;
    }

    /** Whether this is a 1×1 convolution with stride 1, no padding and one group: a linear map of each pixel's channels. */
    public boolean isPointwise() {
        return kernel == 1 && stride == 1 && padding == 0 && groups == 1;
    }

    /**
     * A 1×1 convolution on a channels-last map (N, H, W, in) → (N, H, W, out): per pixel W·x + b as
     * {@link Linear#linear}, which takes the same fmas as the convolution (acc = +0, then over the input
     * channels ascending, then + bias), so the same bits as {@link #forward} between permutes, without
     * the layout copies.
     */
    public Tensor forwardPointwiseChannelsLast(Tensor x) {
        if (!isPointwise()) throw new IllegalStateException("Conv2d: the channels-last linear path is for 1x1 convolutions with stride 1, no padding, one group");
        return Linear.linear(x, weight.reshape(out, in), bias);
    }

    /**
     * Inference on a channels-last map (N, H, W, C) → (N, H, W, C), depthwise 3×3 only, optionally followed
     * by SiLU in the same pass: the same bits as {@link #forward} between permutes (then SiLU).
     */
    public Tensor forwardChannelsLast(Tensor x, boolean silu) {
        if (!isDepthwise3x3()) throw new IllegalStateException("Conv2d: the channels-last path is for depthwise 3x3, stride 1, padding 1 only");
        return Conv2dOp.depthwise3x3ChannelsLast(x, weight, bias, silu);
    }
}
